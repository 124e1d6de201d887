"""Bringing filled workbooks into the data: check everything, then write atomically or refuse."""
