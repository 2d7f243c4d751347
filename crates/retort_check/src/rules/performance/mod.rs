pub mod sleep_in_request_handler;
pub mod unbounded_query;
