"""Search: one `SearchBackend` interface with Elasticsearch (production) and
embedded tantivy (default) implementations, document builders and indexing
tasks. Built in the search issue; nothing here imports it yet."""
