"""Everything that brings papers in: parsing, sources, the one import path, indexing."""
