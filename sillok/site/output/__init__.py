"""The built site as files: staging folders that never outlive a build, and checking a published site by rebuilding it."""
