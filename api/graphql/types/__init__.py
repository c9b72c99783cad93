"""GraphQL object types and interfaces, one per module (see api/graphql/schema.py for the list)."""
