"""Repositories: one module per entity, holding that entity's SQL."""
