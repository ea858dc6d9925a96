"""What the history shows: daily aggregates, trends, periods and factors (pure pandas)."""
