package io.dlrgate.reporting.bounce;

import static io.dlrgate.config.BounceClass.NONE;
import static io.dlrgate.config.BounceClass.PERMANENT;
import static io.dlrgate.config.BounceClass.TRANSIENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dlrgate.config.BounceClass;
import io.dlrgate.config.Tab;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The bounce classification tables: every default entry, carrier overrides, submit statuses. */
class BounceClassifierTest {

    final BounceClassifier defaults = BounceClassifier.defaults();

    /** The shipped GSM MAP table, written out independently of the code under test (3GPP TS 29.002 local values). */
    static final Map<Integer, BounceClass> EXPECTED_MAP = new TreeMap<>(Map.ofEntries(
            Map.entry(1, PERMANENT), Map.entry(5, PERMANENT), Map.entry(9, PERMANENT), Map.entry(11, PERMANENT),
            Map.entry(12, PERMANENT), Map.entry(13, PERMANENT), Map.entry(44, PERMANENT),
            Map.entry(6, TRANSIENT), Map.entry(27, TRANSIENT), Map.entry(31, TRANSIENT), Map.entry(45, TRANSIENT),
            Map.entry(32, TRANSIENT), Map.entry(33, TRANSIENT), Map.entry(8, TRANSIENT), Map.entry(21, TRANSIENT),
            Map.entry(29, TRANSIENT), Map.entry(51, TRANSIENT), Map.entry(34, TRANSIENT), Map.entry(35, TRANSIENT),
            Map.entry(36, TRANSIENT)));

    @Test
    void theDefaultTableIsExactlyTheDocumentedOne() {
        assertEquals(EXPECTED_MAP, new TreeMap<>(BounceClassifier.GSM_MAP_DEFAULTS));
    }

    @Test
    void everyDefaultEntryClassesUndelivByErrWithOrWithoutLeadingZeros() {
        for (Map.Entry<Integer, BounceClass> e : EXPECTED_MAP.entrySet()) {
            int code = e.getKey();
            for (String err : new String[] {String.format("%03d", code), String.valueOf(code), " " + code + " "}) {
                assertEquals(e.getValue(), defaults.classifyStat("UNDELIV", err, null), "UNDELIV err " + err);
                assertEquals(e.getValue(), defaults.classifyStat("REJECTD", err, null), "REJECTD err " + err);
            }
        }
    }

    @Test
    void everyDefaultEntryClassesByTheGsmNetworkErrorCode() {
        for (Map.Entry<Integer, BounceClass> e : EXPECTED_MAP.entrySet()) {
            assertEquals(e.getValue(), defaults.classifyStat("UNDELIV", null, "3:" + e.getKey()), "3:" + e.getKey());
            // ASCII-digit TLVs carry no network type (0): read as GSM too
            assertEquals(e.getValue(), defaults.classifyStat("UNDELIV", null, "0:" + e.getKey()), "0:" + e.getKey());
        }
    }

    @Test
    void theTlvWinsOverAnUnlistedErrAndNonGsmTypesAreNotReadAsMap() {
        assertEquals(TRANSIENT, defaults.classifyStat("UNDELIV", "999", "3:27"));
        // err 999 is unknown and 1:27 is ANSI-136, not a MAP code: an unexplained hard bounce is permanent
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", "999", "1:27"));
        // an unknown TLV code leaves err to decide
        assertEquals(TRANSIENT, defaults.classifyStat("UNDELIV", "006", "3:999"));
    }

    @Test
    void unknownOrMissingErrOnAHardBounceIsPermanent() {
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", null, null));
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", "000", null));
        assertEquals(PERMANENT, defaults.classifyStat("REJECTD", "0A1", null));
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", "", null));
    }

    @Test
    void nonFailuresAreNoneAndExpiredIsTransient() {
        assertEquals(NONE, defaults.classifyStat("DELIVRD", "000", null));
        assertEquals(NONE, defaults.classifyStat("ENROUTE", "001", null));
        assertEquals(NONE, defaults.classifyStat("ACCEPTD", null, null));
        assertEquals(NONE, defaults.classifyStat("DELETED", "001", null));
        assertEquals(NONE, defaults.classifyStat("NOSUCHSTAT", "001", null));
        assertEquals(NONE, defaults.classifyStat(null, "001", null));
        assertEquals(TRANSIENT, defaults.classifyStat("EXPIRED", "001", null));
        assertEquals(TRANSIENT, defaults.classifyReceipt(Tab.SOFT_BOUNCES, null, null));
    }

    @Test
    void errValuesThatAreNoGsmCodeArePermanentAndNeverThrow() {
        // Ten digits overflow an int; digits of other scripts pass Character.isDigit: neither is a GSM MAP code.
        assertEquals(PERMANENT, defaults.classifyReceipt(Tab.HARD_BOUNCES, "9999999999", null));
        assertEquals(PERMANENT, defaults.classifyReceipt(Tab.HARD_BOUNCES, "99999999999999999999", null));
        assertEquals(PERMANENT, defaults.classifyReceipt(Tab.HARD_BOUNCES, "\u0661\u0662\u0663", null));
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", "000000000027", null), "12 digits: not read as 27");
    }

    @Test
    void aCarrierOverrideReplacesTheDefaultForThatCarrierOnly() {
        BounceClassifier acme = BounceClassifier.withOverrides(Map.of("001", TRANSIENT, "027", PERMANENT,
                "ABC", TRANSIENT, "3:34", PERMANENT, "submit:0x0B", TRANSIENT, "submit:1025", PERMANENT));
        assertEquals(TRANSIENT, acme.classifyStat("UNDELIV", "1", null));
        assertEquals(TRANSIENT, acme.classifyStat("UNDELIV", "0001", null));
        assertEquals(PERMANENT, acme.classifyStat("UNDELIV", "27", null));
        assertEquals(TRANSIENT, acme.classifyStat("UNDELIV", "abc", null));
        assertEquals(PERMANENT, acme.classifyStat("UNDELIV", null, "3:34"));
        // an override of err wins over the TLV's default
        assertEquals(TRANSIENT, acme.classifyStat("UNDELIV", "001", "3:1"));
        assertEquals(TRANSIENT, acme.classifySubmit(0x0B));
        assertEquals(PERMANENT, acme.classifySubmit(0x401));
        // entries not overridden keep the default
        assertEquals(PERMANENT, acme.classifyStat("UNDELIV", "005", null));
        assertEquals(TRANSIENT, acme.classifyStat("UNDELIV", "031", null));
        // and the defaults are untouched
        assertEquals(PERMANENT, defaults.classifyStat("UNDELIV", "001", null));
        assertEquals(TRANSIENT, defaults.classifyStat("UNDELIV", "027", null));
        // overrides never make a non-failure a failure
        assertEquals(NONE, acme.classifyStat("DELIVRD", "001", null));
    }

    @Test
    void overridesMustBePermanentOrTransientWithReadableKeys() {
        assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withOverrides(Map.of("001", NONE)));
        assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withOverrides(Map.of("3:x", PERMANENT)));
        assertThrows(IllegalArgumentException.class, () -> BounceClassifier.withOverrides(Map.of("submit:zz", PERMANENT)));
    }

    @Test
    void submitStatuses() {
        assertEquals(PERMANENT, defaults.classifySubmit(0x0B));   // ESME_RINVDSTADR
        assertEquals(TRANSIENT, defaults.classifySubmit(0x58));   // ESME_RTHROTTLED
        assertEquals(TRANSIENT, defaults.classifySubmit(0x14));   // ESME_RMSGQFUL
        assertEquals(TRANSIENT, defaults.classifySubmit(0x08));   // ESME_RSYSERR
        assertEquals(TRANSIENT, defaults.classifySubmit(0x45));   // ESME_RSUBMITFAIL
        assertEquals(TRANSIENT, defaults.classifySubmit(0x64));   // ESME_RX_T_APPN
        // about the request or the sender, not the number: never counts against the number
        assertEquals(TRANSIENT, defaults.classifySubmit(0x0A));   // ESME_RINVSRCADR
        assertEquals(TRANSIENT, defaults.classifySubmit(0x400));  // vendor specific, unknown
        assertEquals(TRANSIENT, defaults.classifySubmit(null));   // no answer
        assertEquals(NONE, defaults.classifySubmit(0));
    }
}
