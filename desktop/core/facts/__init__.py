"""Facts: typed n-ary records (who met whom where and when ...) with normalized values."""
