package io.vigil.sensor.realstack.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ubyte;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.ReferenceTypes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.CallResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateMonitoredItemsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.CreateSubscriptionResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.DeleteSubscriptionsResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.PublishResponse;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * One Milo client session against {@link MiloServer}, and the OPC UA messages it puts on the wire,
 * written down from the client calls as they are made (not from any decoder):
 *
 * <ol>
 *   <li>discovery connection: HEL/ACK, OPN (None), GetEndpoints, CLO;
 *   <li>session connection: HEL/ACK, OPN (None), CreateSession, ActivateSession (both sent by
 *       {@code connect()}), then Milo's own Read of the server's NamespaceArray (i=2255) and ServerArray (i=2254), which
 *       {@code connect()} also does;
 *   <li>Read of Temperature and Setpoint (one request), Write of Setpoint = 42.25, Browse of the
 *       Plant folder, Call of Plant.Reset;
 *   <li>a subscription: CreateSubscription, CreateMonitoredItems on Temperature, one Publish (its initial data
 *       change), DeleteSubscriptions;
 *   <li>{@code disconnect()}: CloseSession, CLO.
 * </ol>
 *
 * Each expected message is a map of decode fields that must match; keys starting with
 * {@code _} are annotations for the test: {@code _request} on a response is the 1-based index of
 * the request it answers (its {@code request_frame} must be that message's frame).
 */
final class MiloSession {
    static final NodeId PLANT = new NodeId(2, "Plant");
    static final NodeId TEMPERATURE = new NodeId(2, "Temperature");
    static final NodeId SETPOINT = new NodeId(2, "Setpoint");
    static final NodeId RESET = new NodeId(2, "Reset");
    static final double SETPOINT_VALUE = 42.25;

    private final int port;
    private final String url;
    private final List<Map<String, Object>> expected = new ArrayList<>();

    private MiloSession(int port) {
        this.port = port;
        this.url = MiloServer.endpointUrl(port);
    }

    /** Runs the session against a server on {@code port} and returns the expected messages. */
    static List<Map<String, Object>> run(int port) throws Exception {
        MiloSession s = new MiloSession(port);
        s.session();
        return s.expected;
    }

    private void session() throws Exception {
        // ---- discovery connection
        List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(url).get();
        openChannel();
        service("GetEndpoints", null);
        clo();
        EndpointDescription endpoint = endpoints.stream()
            .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())
                && e.getSecurityMode() == MessageSecurityMode.None)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no None endpoint in " + endpoints));

        // ---- session connection
        OpcUaClientConfig config = OpcUaClientConfig.builder()
            .setEndpoint(endpoint)
            .setApplicationName(LocalizedText.english("vigil test client"))
            .setApplicationUri("urn:vigil:test:client")
            // no keep-alive Read of ServerStatus during the session: the exchange stays deterministic
            .setKeepAliveInterval(uint(600_000))
            .setRequestTimeout(uint(10_000))
            .build();
        OpcUaClient client = OpcUaClient.create(config);
        client.connect();
        openChannel();
        service("CreateSession", null);
        service("ActivateSession", null);
        // connect() also reads the server's NamespaceArray (i=2255) and ServerArray (i=2254) in one Read
        service("Read", List.of("i=2255", "i=2254"));

        List<DataValue> values = client.readValues(0, TimestampsToReturn.Both, List.of(TEMPERATURE, SETPOINT));
        check(values.size() == 2 && values.get(0).getStatusCode().isGood() && values.get(1).getStatusCode().isGood()
            && Double.valueOf(21.5).equals(values.get(0).getValue().getValue()), "read " + values);
        service("Read", List.of(str(TEMPERATURE), str(SETPOINT)));

        List<StatusCode> written = client.writeValues(List.of(SETPOINT),
            List.of(new DataValue(new Variant(SETPOINT_VALUE))));
        check(written.size() == 1 && written.get(0).isGood(), "write " + written);
        service("Write", List.of(str(SETPOINT)));

        BrowseResult browsed = client.browse(new BrowseDescription(PLANT, BrowseDirection.Forward,
            ReferenceTypes.HierarchicalReferences, true, uint(0), uint(63)));
        check(browsed.getStatusCode().isGood() && browsed.getReferences() != null
            && browsed.getReferences().length == 3, "browse " + browsed);
        service("Browse", List.of(str(PLANT)));

        CallResponse called = client.call(List.of(new CallMethodRequest(PLANT, RESET, new Variant[0])));
        CallMethodResult result = called.getResults()[0];
        check(result.getStatusCode().isGood(), "call " + result.getStatusCode());
        service("Call", List.of(str(PLANT)));

        subscription(client);

        client.disconnect();
        service("CloseSession", null);
        clo();
    }

    /**
     * A subscription driven by the client's raw services (not Milo's subscription manager, whose background Publish
     * requests would make the exchange nondeterministic): CreateSubscription, CreateMonitoredItems on Temperature,
     * one Publish that returns its initial data change, DeleteSubscriptions.
     */
    private void subscription(OpcUaClient client) throws Exception {
        CreateSubscriptionResponse created = client.createSubscription(50.0, uint(600), uint(20), uint(0), true,
            ubyte(0));
        check(created.getResponseHeader().getServiceResult().isGood(), "create subscription");
        UInteger id = created.getSubscriptionId();
        service("CreateSubscription", null);

        MonitoredItemCreateRequest item = new MonitoredItemCreateRequest(
            new ReadValueId(TEMPERATURE, AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
            MonitoringMode.Reporting, new MonitoringParameters(uint(1), 50.0, null, uint(1), true));
        CreateMonitoredItemsResponse monitored = client.createMonitoredItems(id, TimestampsToReturn.Both,
            List.of(item));
        check(monitored.getResults()[0].getStatusCode().isGood(), "create monitored item");
        service("CreateMonitoredItems", List.of(str(TEMPERATURE)));

        PublishResponse published = client.publish(List.of());
        check(id.equals(published.getSubscriptionId()) && published.getNotificationMessage()
            .getNotificationData().length == 1, "publish " + published);
        service("Publish", null);

        DeleteSubscriptionsResponse deleted = client.deleteSubscriptions(List.of(id));
        check(deleted.getResults()[0].isGood(), "delete subscription");
        service("DeleteSubscriptions", null);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("Milo session: unexpected result of " + what);
        }
    }

    /** "ns=2;s=Setpoint", "i=2255": the decoder's NodeId notation (namespace 0 implicit). */
    static String str(NodeId id) {
        String ns = id.getNamespaceIndex().intValue() == 0 ? "" : "ns=" + id.getNamespaceIndex() + ";";
        Object v = id.getIdentifier();
        String kind = v instanceof String ? "s=" : "i=";
        return ns + kind + v;
    }

    private void openChannel() {
        Map<String, Object> hel = toServer("HEL");
        hel.put("endpoint_url", url);
        expected.add(hel);
        expected.add(fromServer("ACK"));
        Map<String, Object> opn = toServer("OPN");
        opn.put("security_policy", "None");
        opn.put("security_mode", 1L); // MessageSecurityMode.None
        opn.put("service", "OpenSecureChannelRequest");
        expected.add(opn);
        int req = expected.size();
        Map<String, Object> opnResponse = fromServer("OPN");
        opnResponse.put("security_policy", "None");
        opnResponse.put("service", "OpenSecureChannelResponse");
        opnResponse.put("status_code", "Good");
        opnResponse.put("_request", (long) req);
        expected.add(opnResponse);
    }

    private void service(String name, List<String> nodeIds) {
        Map<String, Object> request = toServer("MSG");
        request.put("service", name + "Request");
        if (nodeIds != null) {
            request.put("node_ids", nodeIds);
        }
        expected.add(request);
        int req = expected.size();
        Map<String, Object> response = fromServer("MSG");
        response.put("service", name + "Response");
        response.put("status_code", "Good");
        response.put("_request", (long) req);
        expected.add(response);
    }

    private void clo() {
        Map<String, Object> clo = toServer("CLO");
        clo.put("service", "CloseSecureChannelRequest");
        expected.add(clo);
    }

    private Map<String, Object> toServer(String type) {
        Map<String, Object> m = base(type);
        m.put("dst_ip", "127.0.0.1");
        m.put("dst_port", (long) port);
        return m;
    }

    private Map<String, Object> fromServer(String type) {
        Map<String, Object> m = base(type);
        m.put("src_ip", "127.0.0.1");
        m.put("src_port", (long) port);
        return m;
    }

    private static Map<String, Object> base(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proto", "opcua");
        m.put("msg_type", type);
        m.put("chunk", "F");
        m.put("encrypted", false);
        return m;
    }
}
