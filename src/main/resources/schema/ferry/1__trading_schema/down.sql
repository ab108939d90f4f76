-- Undo of 1: removes the platform schema Ferry created, with everything in it.
DROP SCHEMA IF EXISTS trading CASCADE;
