pub mod missing_health_endpoint;
pub mod request_without_timeout;
pub mod swallowed_exception;
