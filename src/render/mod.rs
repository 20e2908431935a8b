//! Render stage (being written): assessed registry in, static site out.
