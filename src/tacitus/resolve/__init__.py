"""Resolution: mentions to canonical actors (knowledge base plus what the article itself says)."""
