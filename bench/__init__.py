"""fouille's benchmarks: a French man-page corpus, quality and speed against peer engines."""
