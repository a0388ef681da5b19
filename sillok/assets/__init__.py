"""Static files the built site serves: the search page script and style."""
