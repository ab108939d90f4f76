SELECT to_regclass('ferry.position_changes') IS NOT NULL;
