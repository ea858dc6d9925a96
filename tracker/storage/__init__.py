"""Where the data lives: the engine and migrations, the tables, backups and files written."""
