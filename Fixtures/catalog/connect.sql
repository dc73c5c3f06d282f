-- What drivers send right after connecting (captured from PostgreSQL 15 with log_statement = all),
-- plus the settings statements other clients send at connect. Parameters ($1) of the extended
-- protocol are written in as the literal the client bound.
-- Statements are separated by a line holding only ";".
-- pgJDBC 42.5:
SET extra_float_digits = 3
;
SET application_name = 'PostgreSQL JDBC Driver'
;
-- SQLAlchemy 2.0 (psycopg2 and psycopg 3 dialects), on first connect:
SELECT t.oid, typarray
FROM pg_type t JOIN pg_namespace ns
    ON typnamespace = ns.oid
WHERE typname = 'hstore'
;
select pg_catalog.version()
;
select current_schema()
;
show transaction isolation level
;
show standard_conforming_strings
;
SELECT
    typname AS name, oid, typarray AS array_oid,
    oid::regtype::text AS regtype, typdelim AS delimiter
FROM pg_type t
WHERE t.oid = to_regtype('hstore')
ORDER BY t.oid
;
-- pg8000:
select 1
;
-- psycopg2 / psycopg 3 / asyncpg send nothing of their own at connect (asyncpg introspects only non-builtin types).
-- Other clients' connect-time settings and functions:
SET DateStyle = 'ISO'
;
SET datestyle TO ISO, MDY
;
SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED
;
SET TIME ZONE 'UTC'
;
SET client_encoding = 'UTF8'
;
SHOW server_version
;
SHOW DateStyle
;
select current_setting('server_version_num')
;
select current_database(), current_user, session_user, current_schemas(true), pg_backend_pid() > 0
;
