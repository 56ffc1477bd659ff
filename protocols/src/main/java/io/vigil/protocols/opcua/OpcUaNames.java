package io.vigil.protocols.opcua;

/**
 * Names of the namespace-0 service encodings (DefaultBinary NodeIds, as in the specification's
 * NodeIds.csv and Wireshark's table) and of the common status codes. Lookups are switches over
 * constants, so naming allocates nothing; null means "not in the table", and output code prints
 * the number instead.
 */
public final class OpcUaNames {
    public static final int SERVICE_FAULT = 397;
    public static final int FIND_SERVERS_REQUEST = 422;
    public static final int FIND_SERVERS_RESPONSE = 425;
    public static final int GET_ENDPOINTS_REQUEST = 428;
    public static final int GET_ENDPOINTS_RESPONSE = 431;
    public static final int OPEN_SECURE_CHANNEL_REQUEST = 446;
    public static final int OPEN_SECURE_CHANNEL_RESPONSE = 449;
    public static final int CLOSE_SECURE_CHANNEL_REQUEST = 452;
    public static final int CLOSE_SECURE_CHANNEL_RESPONSE = 455;
    public static final int CREATE_SESSION_REQUEST = 461;
    public static final int CREATE_SESSION_RESPONSE = 464;
    public static final int ACTIVATE_SESSION_REQUEST = 467;
    public static final int ACTIVATE_SESSION_RESPONSE = 470;
    public static final int CLOSE_SESSION_REQUEST = 473;
    public static final int CLOSE_SESSION_RESPONSE = 476;
    public static final int BROWSE_REQUEST = 527;
    public static final int BROWSE_RESPONSE = 530;
    public static final int BROWSE_NEXT_REQUEST = 533;
    public static final int BROWSE_NEXT_RESPONSE = 536;
    public static final int READ_REQUEST = 631;
    public static final int READ_RESPONSE = 634;
    public static final int WRITE_REQUEST = 673;
    public static final int WRITE_RESPONSE = 676;
    public static final int CALL_REQUEST = 712;
    public static final int CALL_RESPONSE = 715;
    public static final int CREATE_MONITORED_ITEMS_REQUEST = 751;
    public static final int PUBLISH_REQUEST = 826;
    public static final int PUBLISH_RESPONSE = 829;

    public static final long GOOD = 0x00000000L;
    public static final long BAD_TIMEOUT = 0x800A0000L;
    public static final long BAD_SERVICE_UNSUPPORTED = 0x800B0000L;
    public static final long BAD_SECURITY_CHECKS_FAILED = 0x80130000L;
    public static final long BAD_USER_ACCESS_DENIED = 0x801F0000L;
    public static final long BAD_SESSION_ID_INVALID = 0x80250000L;
    public static final long BAD_NODE_ID_UNKNOWN = 0x80340000L;
    public static final long BAD_NOT_WRITABLE = 0x803B0000L;

    private OpcUaNames() {
    }

    /** Name of a namespace-0 service encoding id, or null when the id is not a service. */
    public static String service(long id) {
        switch ((int) Math.min(id, Integer.MAX_VALUE)) {
            case 397: return "ServiceFault";
            case 422: return "FindServersRequest";
            case 425: return "FindServersResponse";
            case 12208: return "FindServersOnNetworkRequest";
            case 12209: return "FindServersOnNetworkResponse";
            case 428: return "GetEndpointsRequest";
            case 431: return "GetEndpointsResponse";
            case 437: return "RegisterServerRequest";
            case 440: return "RegisterServerResponse";
            case 12211: return "RegisterServer2Request";
            case 12212: return "RegisterServer2Response";
            case 446: return "OpenSecureChannelRequest";
            case 449: return "OpenSecureChannelResponse";
            case 452: return "CloseSecureChannelRequest";
            case 455: return "CloseSecureChannelResponse";
            case 461: return "CreateSessionRequest";
            case 464: return "CreateSessionResponse";
            case 467: return "ActivateSessionRequest";
            case 470: return "ActivateSessionResponse";
            case 473: return "CloseSessionRequest";
            case 476: return "CloseSessionResponse";
            case 479: return "CancelRequest";
            case 482: return "CancelResponse";
            case 488: return "AddNodesRequest";
            case 491: return "AddNodesResponse";
            case 494: return "AddReferencesRequest";
            case 497: return "AddReferencesResponse";
            case 500: return "DeleteNodesRequest";
            case 503: return "DeleteNodesResponse";
            case 506: return "DeleteReferencesRequest";
            case 509: return "DeleteReferencesResponse";
            case 527: return "BrowseRequest";
            case 530: return "BrowseResponse";
            case 533: return "BrowseNextRequest";
            case 536: return "BrowseNextResponse";
            case 554: return "TranslateBrowsePathsToNodeIdsRequest";
            case 557: return "TranslateBrowsePathsToNodeIdsResponse";
            case 560: return "RegisterNodesRequest";
            case 563: return "RegisterNodesResponse";
            case 566: return "UnregisterNodesRequest";
            case 569: return "UnregisterNodesResponse";
            case 615: return "QueryFirstRequest";
            case 618: return "QueryFirstResponse";
            case 621: return "QueryNextRequest";
            case 624: return "QueryNextResponse";
            case 631: return "ReadRequest";
            case 634: return "ReadResponse";
            case 664: return "HistoryReadRequest";
            case 667: return "HistoryReadResponse";
            case 673: return "WriteRequest";
            case 676: return "WriteResponse";
            case 700: return "HistoryUpdateRequest";
            case 703: return "HistoryUpdateResponse";
            case 712: return "CallRequest";
            case 715: return "CallResponse";
            case 751: return "CreateMonitoredItemsRequest";
            case 754: return "CreateMonitoredItemsResponse";
            case 763: return "ModifyMonitoredItemsRequest";
            case 766: return "ModifyMonitoredItemsResponse";
            case 769: return "SetMonitoringModeRequest";
            case 772: return "SetMonitoringModeResponse";
            case 775: return "SetTriggeringRequest";
            case 778: return "SetTriggeringResponse";
            case 781: return "DeleteMonitoredItemsRequest";
            case 784: return "DeleteMonitoredItemsResponse";
            case 787: return "CreateSubscriptionRequest";
            case 790: return "CreateSubscriptionResponse";
            case 793: return "ModifySubscriptionRequest";
            case 796: return "ModifySubscriptionResponse";
            case 799: return "SetPublishingModeRequest";
            case 802: return "SetPublishingModeResponse";
            case 826: return "PublishRequest";
            case 829: return "PublishResponse";
            case 832: return "RepublishRequest";
            case 835: return "RepublishResponse";
            case 841: return "TransferSubscriptionsRequest";
            case 844: return "TransferSubscriptionsResponse";
            case 847: return "DeleteSubscriptionsRequest";
            case 850: return "DeleteSubscriptionsResponse";
            default: return null;
        }
    }

    /** True for a namespace-0 id that names a service request or response (or ServiceFault). */
    public static boolean isService(long id) {
        return service(id) != null;
    }

    /**
     * For a response (or fault) id, the id of the request it answers; -1 for requests and unknown
     * ids. Every response id in the table is its request's id + 3, except ServiceFault and the
     * two discovery services numbered in the 12000s (+1).
     */
    public static long requestOf(long responseId) {
        if (responseId == 12209 || responseId == 12212) {
            return responseId - 1;
        }
        String name = service(responseId);
        return name != null && name.endsWith("Response") ? responseId - 3 : -1;
    }

    /** Name of a status code (severity + sub-code; the info bits in the low 16 are ignored), or null. */
    public static String status(long code) {
        switch ((int) ((code & 0xFFFF0000L) >>> 16)) {
            case 0x0000: return "Good";
            case 0x4000: return "Uncertain";
            case 0x8000: return "Bad";
            case 0x8001: return "BadUnexpectedError";
            case 0x8002: return "BadInternalError";
            case 0x8003: return "BadOutOfMemory";
            case 0x8004: return "BadResourceUnavailable";
            case 0x8005: return "BadCommunicationError";
            case 0x8006: return "BadEncodingError";
            case 0x8007: return "BadDecodingError";
            case 0x8008: return "BadEncodingLimitsExceeded";
            case 0x80B8: return "BadRequestTooLarge";
            case 0x80B9: return "BadResponseTooLarge";
            case 0x8009: return "BadUnknownResponse";
            case 0x800A: return "BadTimeout";
            case 0x800B: return "BadServiceUnsupported";
            case 0x800C: return "BadShutdown";
            case 0x800D: return "BadServerNotConnected";
            case 0x800E: return "BadServerHalted";
            case 0x800F: return "BadNothingToDo";
            case 0x8010: return "BadTooManyOperations";
            case 0x80DB: return "BadTooManyMonitoredItems";
            case 0x8011: return "BadDataTypeIdUnknown";
            case 0x8012: return "BadCertificateInvalid";
            case 0x8013: return "BadSecurityChecksFailed";
            case 0x8114: return "BadCertificatePolicyCheckFailed";
            case 0x8014: return "BadCertificateTimeInvalid";
            case 0x8015: return "BadCertificateIssuerTimeInvalid";
            case 0x8016: return "BadCertificateHostNameInvalid";
            case 0x8017: return "BadCertificateUriInvalid";
            case 0x8018: return "BadCertificateUseNotAllowed";
            case 0x8019: return "BadCertificateIssuerUseNotAllowed";
            case 0x801A: return "BadCertificateUntrusted";
            case 0x801B: return "BadCertificateRevocationUnknown";
            case 0x801C: return "BadCertificateIssuerRevocationUnknown";
            case 0x801D: return "BadCertificateRevoked";
            case 0x801E: return "BadCertificateIssuerRevoked";
            case 0x810D: return "BadCertificateChainIncomplete";
            case 0x801F: return "BadUserAccessDenied";
            case 0x8020: return "BadIdentityTokenInvalid";
            case 0x8021: return "BadIdentityTokenRejected";
            case 0x8022: return "BadSecureChannelIdInvalid";
            case 0x8023: return "BadInvalidTimestamp";
            case 0x8024: return "BadNonceInvalid";
            case 0x8025: return "BadSessionIdInvalid";
            case 0x8026: return "BadSessionClosed";
            case 0x8027: return "BadSessionNotActivated";
            case 0x8028: return "BadSubscriptionIdInvalid";
            case 0x802A: return "BadRequestHeaderInvalid";
            case 0x802B: return "BadTimestampsToReturnInvalid";
            case 0x802C: return "BadRequestCancelledByClient";
            case 0x80E5: return "BadTooManyArguments";
            case 0x80EE: return "BadServerTooBusy";
            case 0x8031: return "BadNoCommunication";
            case 0x8032: return "BadWaitingForInitialData";
            case 0x8033: return "BadNodeIdInvalid";
            case 0x8034: return "BadNodeIdUnknown";
            case 0x8035: return "BadAttributeIdInvalid";
            case 0x8036: return "BadIndexRangeInvalid";
            case 0x8037: return "BadIndexRangeNoData";
            case 0x8038: return "BadDataEncodingInvalid";
            case 0x8039: return "BadDataEncodingUnsupported";
            case 0x803A: return "BadNotReadable";
            case 0x803B: return "BadNotWritable";
            case 0x803C: return "BadOutOfRange";
            case 0x803D: return "BadNotSupported";
            case 0x803E: return "BadNotFound";
            case 0x803F: return "BadObjectDeleted";
            case 0x8040: return "BadNotImplemented";
            case 0x8041: return "BadMonitoringModeInvalid";
            case 0x8042: return "BadMonitoredItemIdInvalid";
            case 0x8043: return "BadMonitoredItemFilterInvalid";
            case 0x804A: return "BadContinuationPointInvalid";
            case 0x804B: return "BadNoContinuationPoints";
            case 0x804C: return "BadReferenceTypeIdInvalid";
            case 0x804D: return "BadBrowseDirectionInvalid";
            case 0x804E: return "BadNodeNotInView";
            case 0x8053: return "BadRequestTypeInvalid";
            case 0x8054: return "BadSecurityModeRejected";
            case 0x8055: return "BadSecurityPolicyRejected";
            case 0x8056: return "BadTooManySessions";
            case 0x8057: return "BadUserSignatureInvalid";
            case 0x8058: return "BadApplicationSignatureInvalid";
            case 0x805F: return "BadNodeClassInvalid";
            case 0x806B: return "BadViewIdUnknown";
            case 0x8070: return "BadMaxAgeInvalid";
            case 0x80E6: return "BadSecurityModeInsufficient";
            case 0x8071: return "BadHistoryOperationInvalid";
            case 0x8072: return "BadHistoryOperationUnsupported";
            case 0x8073: return "BadWriteNotSupported";
            case 0x8074: return "BadTypeMismatch";
            case 0x8075: return "BadMethodInvalid";
            case 0x8076: return "BadArgumentsMissing";
            case 0x8111: return "BadNotExecutable";
            case 0x8077: return "BadTooManySubscriptions";
            case 0x8078: return "BadTooManyPublishRequests";
            case 0x8079: return "BadNoSubscription";
            case 0x807A: return "BadSequenceNumberUnknown";
            case 0x807B: return "BadMessageNotAvailable";
            case 0x807D: return "BadTcpServerTooBusy";
            case 0x807E: return "BadTcpMessageTypeInvalid";
            case 0x807F: return "BadTcpSecureChannelUnknown";
            case 0x8080: return "BadTcpMessageTooLarge";
            case 0x8081: return "BadTcpNotEnoughResources";
            case 0x8082: return "BadTcpInternalError";
            case 0x8083: return "BadTcpEndpointUrlInvalid";
            case 0x8084: return "BadRequestInterrupted";
            case 0x8085: return "BadRequestTimeout";
            case 0x8086: return "BadSecureChannelClosed";
            case 0x8087: return "BadSecureChannelTokenUnknown";
            case 0x8088: return "BadSequenceNumberInvalid";
            case 0x80BE: return "BadProtocolVersionUnsupported";
            case 0x80AB: return "BadInvalidArgument";
            case 0x80AC: return "BadConnectionRejected";
            case 0x80AD: return "BadDisconnect";
            case 0x80AE: return "BadConnectionClosed";
            case 0x80AF: return "BadInvalidState";
            case 0x002D: return "GoodSubscriptionTransferred";
            case 0x002E: return "GoodCompletesAsynchronously";
            case 0x00A5: return "GoodNoData";
            case 0x809B: return "BadNoData";
            case 0x808B: return "BadDeviceFailure";
            case 0x808C: return "BadSensorFailure";
            case 0x808D: return "BadOutOfService";
            case 0x808A: return "BadNotConnected";
            case 0x8089: return "BadConfigurationError";
            default: return null;
        }
    }

    public static boolean isBad(long code) {
        return (code & 0x80000000L) != 0;
    }
}
