"""Official statistics tables: readers for PC-Axis, JSON-stat and StatBank BULK, mappings, snapshots."""
