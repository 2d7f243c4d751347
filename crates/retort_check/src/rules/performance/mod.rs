pub mod n_plus_one_query;
pub mod sleep_in_request_handler;
pub mod unbounded_query;
