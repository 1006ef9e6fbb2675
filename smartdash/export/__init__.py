"""Exports: the board pack (PowerPoint), chart images, spreadsheets. Nothing here reaches the network."""
