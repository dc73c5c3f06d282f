// Lake: to be written.
