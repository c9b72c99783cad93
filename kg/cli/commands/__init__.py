"""One module per `kg` verb; each defines `register(app)`."""
