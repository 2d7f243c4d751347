//! A small bounded connection pool: at most `max` connections exist; a
//! caller waits when all are in use. Both engines use it (the PostgreSQL
//! server has a connection limit; SQLite connections are cheap but each
//! holds a page cache).

use std::sync::{Condvar, Mutex};

pub struct Pool<C> {
    max: usize,
    state: Mutex<PoolState<C>>,
    freed: Condvar,
}

struct PoolState<C> {
    idle: Vec<C>,
    open: usize,
}

impl<C> Pool<C> {
    pub fn new(max: usize) -> Pool<C> {
        Pool { max: max.max(1), state: Mutex::new(PoolState { idle: Vec::new(), open: 0 }), freed: Condvar::new() }
    }

    /// An idle connection, or `None`: the caller may open a new one (its
    /// slot is reserved; call [`Pool::release_slot`] if opening fails).
    pub fn take(&self) -> Option<C> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(conn) = state.idle.pop() {
                return Some(conn);
            }
            if state.open < self.max {
                state.open += 1;
                return None;
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    pub fn give_back(&self, conn: C) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.idle.push(conn);
        self.freed.notify_one();
    }

    /// A connection was dropped (broken) or never opened.
    pub fn release_slot(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.open = state.open.saturating_sub(1);
        self.freed.notify_one();
    }
}
