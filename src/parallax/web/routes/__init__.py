"""One router per resource; each serves the HTML page and the JSON API route that mirrors it."""
