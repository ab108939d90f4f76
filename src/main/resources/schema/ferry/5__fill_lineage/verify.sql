SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'trading' AND table_name = 'fills' AND column_name = 'ferry_record');
