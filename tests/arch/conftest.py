"""The contract fixtures under tests/arch/fixtures/ are data, never collected."""

collect_ignore = ["fixtures"]
