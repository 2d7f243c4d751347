//! Python project loading.
