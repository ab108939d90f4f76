package dev.ferry.core.schema.catalog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database's schema as read from pg_catalog: one canonical definition per object.
 *
 * <p>Definitions are built to compare equal between two databases on the same server
 * that were given the same DDL, and to survive an up→down round trip: they hold no
 * OIDs, no database names, no column positions and no sequence values. Objects that
 * belong to an extension are left out; the extension itself stands for them.
 */
public final class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    /** The engine's own bookkeeping must never show up as drift in the schema it manages. */
    public static final String ENGINE_SCHEMA = "ferry_schema";

    private static final String SYSTEM_SCHEMA = "pg_catalog";

    private final SortedMap<String, String> objects;
    private final SortedSet<String> schemas;

    private Catalog(SortedMap<String, String> objects, SortedSet<String> schemas) {
        this.objects = Collections.unmodifiableSortedMap(objects);
        this.schemas = Collections.unmodifiableSortedSet(schemas);
    }

    /**
     * Reads every object of the schemas that pass the filter; system schemas (pg_catalog,
     * information_schema, pg_toast*, pg_temp*) and the engine's own {@code ferry_schema}
     * are always left out. Extensions are listed when the schema they live in passes the
     * filter; for this one purpose pg_catalog is offered to the filter too, because
     * extensions such as plpgsql live there.
     */
    public static Catalog read(Connection c, Predicate<String> schemaFilter) throws SQLException {
        long started = System.nanoTime();
        String savedPath = searchPath(c);
        // With only pg_catalog on the path every deparsed name is schema-qualified, so the
        // text no longer depends on the search_path of whichever database was read.
        setSearchPath(c, SYSTEM_SCHEMA);
        SQLException failure = null;
        try {
            Catalog catalog = readQualified(c, schemaFilter);
            log.debug("Read {} objects of schemas {} in {} ms", catalog.size(), catalog.schemas,
                    (System.nanoTime() - started) / 1_000_000);
            return catalog;
        } catch (SQLException e) {
            failure = e;
            throw e;
        } finally {
            try {
                setSearchPath(c, savedPath);
            } catch (SQLException e) {
                // In an aborted transaction the reset fails, but the rollback restores the path anyway.
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    throw e;
                }
            }
        }
    }

    /** Reads all non-system schemas. */
    public static Catalog read(Connection c) throws SQLException {
        return read(c, schema -> true);
    }

    /** Key "&lt;kind&gt; &lt;qualified name&gt;" (e.g. "column public.prices.close"), value the canonical definition. */
    public SortedMap<String, String> objects() {
        return objects;
    }

    /** The schemas that were read. */
    public Set<String> schemas() {
        return schemas;
    }

    public int size() {
        return objects.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Catalog other && objects.equals(other.objects) && schemas.equals(other.schemas);
    }

    @Override
    public int hashCode() {
        return objects.hashCode();
    }

    @Override
    public String toString() {
        return "Catalog[" + objects.size() + " objects in " + schemas + "]";
    }

    private static Catalog readQualified(Connection c, Predicate<String> schemaFilter) throws SQLException {
        SortedSet<String> schemas = new TreeSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SCHEMAS)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!name.equals(ENGINE_SCHEMA) && schemaFilter.test(name)) {
                    schemas.add(name);
                }
            }
        }
        List<String> extensionSchemas = new ArrayList<>(schemas);
        if (schemaFilter.test(SYSTEM_SCHEMA)) {
            extensionSchemas.add(SYSTEM_SCHEMA);
        }
        SortedMap<String, String> objects = new TreeMap<>();
        for (String schema : schemas) {
            objects.put("schema " + quoteIdent(c, schema), "");
        }
        for (String query : OBJECTS) {
            collect(c, query, schemas, objects);
        }
        collect(c, EXTENSIONS, extensionSchemas, objects);
        return new Catalog(objects, schemas);
    }

    private static void collect(Connection c, String query, java.util.Collection<String> schemas,
            SortedMap<String, String> into) throws SQLException {
        if (schemas.isEmpty()) {
            return;
        }
        Array names = c.createArrayOf("text", schemas.toArray());
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setArray(1, names);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    String value = rs.getString(2);
                    String before = into.putIfAbsent(key, value == null ? "" : value);
                    if (before != null) {
                        // Two objects deparsing to one key (names with dots in them) must both stay visible.
                        log.warn("Two catalog objects share the key {}", key);
                        into.put(key, before + " | " + value);
                    }
                }
            }
        } finally {
            names.free();
        }
    }

    private static String searchPath(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_setting('search_path')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void setSearchPath(Connection c, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('search_path', ?, false)")) {
            ps.setString(1, path);
            ps.executeQuery().close();
        }
    }

    private static String quoteIdent(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** True unless the object is a member of an extension (pg_depend deptype 'e'). */
    private static String own(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_catalog." + catalog + "'::regclass"
                + " AND x.objid = " + oid + " AND x.deptype = 'e')";
    }

    /** Collation clause when it is not the type's own, as the column or domain would be declared. */
    private static String collate(String collation, String typeCollation) {
        return "CASE WHEN " + collation + " <> " + typeCollation + " THEN 'COLLATE ' || ("
                + "SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)"
                + " ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END"
                + " FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = " + collation
                + ") END";
    }

    /** Names beginning with pg_ are reserved for system schemas, which covers pg_toast* and pg_temp*. */
    private static final String SCHEMAS = """
            SELECT n.nspname FROM pg_namespace n
            WHERE n.nspname NOT LIKE 'pg\\_%%' AND n.nspname <> 'information_schema' AND %s
            ORDER BY 1""".formatted(own("pg_namespace", "n.oid"));

    private static final String TABLES = """
            SELECT 'table ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                   concat_ws(' ',
                       CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED' END,
                       CASE WHEN c.relkind = 'p' THEN 'partitioned table PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE 'table' END,
                       CASE WHEN c.relispartition
                            THEN (SELECT 'PARTITION OF ' || i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid)
                                 || ' ' || pg_get_expr(c.relpartbound, c.oid)
                            ELSE (SELECT 'INHERITS (' || string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno) || ')'
                                  FROM pg_inherits i WHERE i.inhrelid = c.oid)
                       END)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(own("pg_class", "c.oid"));

    private static final String COLUMNS = """
            SELECT 'column ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname),
                   concat_ws(' ',
                       format_type(a.atttypid, a.atttypmod),
                       %s,
                       CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END,
                       CASE WHEN a.attgenerated = 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                            WHEN d.adbin IS NOT NULL THEN 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
                       CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
                                          WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(collate("a.attcollation", "t.typcollation"), own("pg_class", "c.oid"));

    private static final String CONSTRAINTS = """
            SELECT 'constraint ' || quote_ident(n.nspname) || '.' || quote_ident(coalesce(c.relname, t.typname))
                       || '.' || quote_ident(k.conname),
                   pg_get_constraintdef(k.oid)
            FROM pg_constraint k
            JOIN pg_namespace n ON n.oid = k.connamespace
            LEFT JOIN pg_class c ON c.oid = k.conrelid AND k.conrelid <> 0
            LEFT JOIN pg_type t ON t.oid = k.contypid AND k.contypid <> 0
            WHERE (c.oid IS NOT NULL OR t.oid IS NOT NULL) AND n.nspname = ANY (?)
              AND (c.oid IS NULL OR %s) AND (t.oid IS NULL OR %s)
            ORDER BY 1, 2""".formatted(own("pg_class", "c.oid"), own("pg_type", "t.oid"));

    private static final String INDEXES = """
            SELECT 'index ' || quote_ident(n.nspname) || '.' || quote_ident(ic.relname),
                   pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
            FROM pg_index i
            JOIN pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = ic.relnamespace
            WHERE n.nspname = ANY (?) AND %s AND %s
            ORDER BY 1, 2""".formatted(own("pg_class", "i.indexrelid"), own("pg_class", "i.indrelid"));

    private static final String VIEWS = """
            SELECT CASE c.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END
                       || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                   pg_get_viewdef(c.oid, true)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(own("pg_class", "c.oid"));

    /** Serial columns own their sequence with deptype 'a', identity columns with 'i'. */
    private static final String SEQUENCES = """
            SELECT 'sequence ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname),
                   concat_ws(' ',
                       CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED' END,
                       format_type(s.seqtypid, NULL),
                       'START ' || s.seqstart, 'INCREMENT ' || s.seqincrement,
                       'MINVALUE ' || s.seqmin, 'MAXVALUE ' || s.seqmax, 'CACHE ' || s.seqcache,
                       CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END,
                       (SELECT 'OWNED BY ' || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(ta.attname)
                        FROM pg_depend d
                        JOIN pg_class tc ON tc.oid = d.refobjid
                        JOIN pg_namespace tn ON tn.oid = tc.relnamespace
                        JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
                        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                          AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
                        ORDER BY 1 LIMIT 1))
            FROM pg_sequence s
            JOIN pg_class c ON c.oid = s.seqrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(own("pg_class", "c.oid"));

    /** pg_get_functiondef refuses aggregates, which is why they are named only. */
    private static final String FUNCTIONS = """
            SELECT 'function ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
                       || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                   CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p', 'w', 'a') AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(own("pg_proc", "p.oid"));

    /** tgenabled 'O' is the default and is left unsaid. */
    private static final String TRIGGERS = """
            SELECT 'trigger ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(g.tgname),
                   pg_get_triggerdef(g.oid)
                       || CASE g.tgenabled WHEN 'D' THEN ' DISABLED' WHEN 'R' THEN ' ENABLED REPLICA'
                                           WHEN 'A' THEN ' ENABLED ALWAYS' ELSE '' END
            FROM pg_trigger g
            JOIN pg_class c ON c.oid = g.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT g.tgisinternal AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(own("pg_class", "c.oid"));

    /** Table row types and array types are left out: the table, or the element type, already stands for them. */
    private static final String TYPES = """
            SELECT CASE t.typtype WHEN 'e' THEN 'enum ' WHEN 'd' THEN 'domain ' WHEN 'r' THEN 'range type '
                                  ELSE 'composite type ' END
                       || quote_ident(n.nspname) || '.' || quote_ident(t.typname),
                   CASE t.typtype
                       WHEN 'e' THEN (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
                                      FROM pg_enum e WHERE e.enumtypid = t.oid)
                       WHEN 'd' THEN concat_ws(' ',
                                      format_type(t.typbasetype, t.typtypmod),
                                      %s,
                                      CASE WHEN t.typnotnull THEN 'NOT NULL' ELSE 'NULL' END,
                                      'DEFAULT ' || pg_get_expr(t.typdefaultbin, 0))
                       WHEN 'r' THEN (SELECT 'SUBTYPE ' || format_type(r.rngsubtype, NULL)
                                      FROM pg_range r WHERE r.rngtypid = t.oid)
                       ELSE (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                                   || coalesce(' ' || %s, ''),
                                               ', ' ORDER BY a.attnum)
                             FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
                             WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
                   END
            FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
            WHERE (t.typtype IN ('e', 'd', 'r')
                   OR (t.typtype = 'c' AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c'))
              AND n.nspname = ANY (?) AND %s
            ORDER BY 1, 2""".formatted(collate("t.typcollation", "bt.typcollation"),
            collate("a.attcollation", "at.typcollation"), own("pg_type", "t.oid"));

    private static final String EXTENSIONS = """
            SELECT 'extension ' || quote_ident(e.extname), n.nspname
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
            WHERE n.nspname = ANY (?)
            ORDER BY 1, 2""";

    private static final List<String> OBJECTS =
            List.of(TABLES, COLUMNS, CONSTRAINTS, INDEXES, VIEWS, SEQUENCES, FUNCTIONS, TRIGGERS, TYPES);
}
