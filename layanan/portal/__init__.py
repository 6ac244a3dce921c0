"""The public front door: home page, health check, language and display switches, error pages."""
