DROP TABLE ferry_v2.state;
DROP TABLE ferry_v2.rejects;
DROP TABLE ferry_v2.pages;
DROP TABLE ferry_v2.changes;
DROP TABLE ferry_v2.written;
DROP TABLE ferry_v2.source_rows;
DROP SCHEMA ferry_v2;
