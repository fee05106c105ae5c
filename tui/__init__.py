"""The Textual front end of fouille: it renders what ``search.engine.Engine`` returns."""
