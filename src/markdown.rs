//! Markdown to safe HTML (pulldown-cmark; raw HTML and script URLs never reach the page).
