"""Django forms of the web pages: they parse input; the domain services validate it."""
