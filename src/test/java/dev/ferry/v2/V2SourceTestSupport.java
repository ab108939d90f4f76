package dev.ferry.v2;

import java.util.HashMap;
import java.util.Map;

import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import dev.ferry.v2.report.V2Result;
import org.junit.jupiter.api.AfterAll;

/** A test with a v2 source database of its own, migrated into Ferry's database (the default target). */
abstract class V2SourceTestSupport extends FerryTestSupport {

    protected TestDatabase v2;

    @AfterAll
    void dropSource() {
        if (v2 != null) {
            v2.close();
        }
    }

    protected V2Result v2(String command, Map<String, Object> extra) {
        Map<String, Object> h = new HashMap<>(extra);
        h.put("FerryV2Command", command);
        h.put("FerryV2Source", v2.url());
        return ferry.template().requestBodyAndHeaders("direct:v2", null, h, V2Result.class);
    }
}
