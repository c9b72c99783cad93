"""The `kg` command line: thin commands that parse options, call a kg function and print its result."""
