//! Page plan, views and theme rendering (Tera), in parallel.
