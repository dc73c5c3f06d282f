// Parser: to be written.
