-- Undo of V1: removes the platform schema Ferry created, with everything in it.
DROP SCHEMA IF EXISTS trading CASCADE;
