package dev.ferry.core.schema.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The splitter, case by case: a script paired with the statements (and their lines) it must give. */
class SqlScriptTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("two plain statements", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);",
                        List.of("1|CREATE TABLE a (id int)", "2|CREATE TABLE b (id int)")),
                Arguments.of("a last statement without its semicolon", "SELECT 1;\n\nSELECT 2", List.of("1|SELECT 1", "3|SELECT 2")),
                Arguments.of("semicolons in a string, with '' escapes", "INSERT INTO t VALUES ('a;b', 'it''s; fine');\nSELECT 1;",
                        List.of("1|INSERT INTO t VALUES ('a;b', 'it''s; fine')", "2|SELECT 1")),
                Arguments.of("an E'' string with a backslash-escaped quote", "SELECT E'x\\';y';\nSELECT 2;", List.of("1|SELECT E'x\\';y'", "2|SELECT 2")),
                Arguments.of("a quoted identifier holding a semicolon", "CREATE TABLE \"a;b\" (id int);", List.of("1|CREATE TABLE \"a;b\" (id int)")),
                Arguments.of("a $$ function body", "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND $$;\nSELECT f();",
                        List.of("1|CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1;\nEND $$", "5|SELECT f()")),
                Arguments.of("a $tag$ body holding $$", "DO $body$ BEGIN PERFORM '$$;'; END $body$;\nSELECT 1;",
                        List.of("1|DO $body$ BEGIN PERFORM '$$;'; END $body$", "2|SELECT 1")),
                Arguments.of("comments, nested ones too, are not statements", "-- a comment; with a semicolon\n/* block; /* nested; */ still */\nSELECT 1;",
                        List.of("3|SELECT 1")),
                Arguments.of("a positional parameter is not a dollar quote", "PREPARE p AS SELECT $1;\nSELECT 2;", List.of("1|PREPARE p AS SELECT $1", "2|SELECT 2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void splitsOnTopLevelSemicolonsOnly(String name, String sql, List<String> expected) {
        assertThat(SqlScript.parse("x/up.sql", sql).statements()).extracting(s -> s.line() + "|" + s.sql()).containsExactlyElementsOf(expected);
    }

    @Test
    void statementsPostgresRefusesInATransactionAreMarked() {
        List<SqlStatement> st = SqlScript.parse("x/up.sql", "ALTER TABLE t ADD COLUMN c int;\n-- online\ncreate unique index concurrently i on t (c);\n"
                + "DROP INDEX CONCURRENTLY j;\nVACUUM t;\nCREATE INDEX k ON t (c);\nREINDEX INDEX CONCURRENTLY k;\nREINDEX TABLE t;").statements();
        assertThat(st).extracting(SqlStatement::outsideTransaction).containsExactly(false, true, true, true, false, true, false);
    }

    @Test
    void transactionControlIsRefusedWithItsLine() {
        assertThatThrownBy(() -> SqlScript.parse("1.0.0__x/up.sql", "SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;"))
                .isInstanceOf(ProjectException.class).hasMessageStartingWith("1.0.0__x/up.sql:2: transaction control (BEGIN)");
    }

    @Test
    void anUnclosedQuoteNamesTheLineItOpensOn() {
        assertThatThrownBy(() -> SqlScript.parse("1.0.0__x/up.sql", "SELECT 1;\nSELECT 'oops;\nSELECT 3;"))
                .isInstanceOf(ProjectException.class).hasMessage("1.0.0__x/up.sql:2: a string that starts here is never closed");
        assertThatThrownBy(() -> SqlScript.parse("f.sql", "\n\nDO $$ BEGIN NULL; END;"))
                .isInstanceOf(ProjectException.class).hasMessageStartingWith("f.sql:3: a $$ quoted body");
    }

    @Test
    void irreversibleFirstLineCarriesItsReason() {
        SqlScript down = SqlScript.parse("x/down.sql", "-- irreversible: the legacy column's values are gone\n");
        assertThat(down.irreversible()).isTrue();
        assertThat(down.irreversibleReason()).isEqualTo("the legacy column's values are gone");
        assertThat(down.isEmpty()).isTrue();
        assertThat(SqlScript.parse("x/down.sql", "DROP TABLE t; -- irreversible: no").irreversible()).isFalse();
    }
}
