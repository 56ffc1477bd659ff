package io.vigil.sensor.realstack.opcua;

import java.util.List;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.ReferenceTypes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;

/**
 * An Eclipse Milo OPC UA server on 127.0.0.1:PORT/vigil, security None, anonymous, with a small
 * namespace {@value #NAMESPACE_URI} (index 2): folder {@code ns=2;s=Plant} organising
 * {@code Temperature} (Double 21.5, read-only), {@code Setpoint} (Double 20.0, read/write) and a
 * method {@code Reset} (no arguments).
 */
final class MiloServer implements AutoCloseable {
    static final String NAMESPACE_URI = "urn:vigil:test:plant";
    static final String PATH = "/vigil";

    private final OpcUaServer server;
    private final PlantNamespace namespace;

    private MiloServer(OpcUaServer server, PlantNamespace namespace) {
        this.server = server;
        this.namespace = namespace;
    }

    static String endpointUrl(int port) {
        return "opc.tcp://127.0.0.1:" + port + PATH;
    }

    static MiloServer start(int port) throws Exception {
        EndpointConfig endpoint = EndpointConfig.newBuilder()
            .setBindAddress("127.0.0.1")
            .setHostname("127.0.0.1")
            .setBindPort(port)
            .setPath(PATH)
            .setSecurityPolicy(SecurityPolicy.None)
            .setSecurityMode(MessageSecurityMode.None)
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS)
            .build();
        OpcUaServerConfig config = OpcUaServerConfig.builder()
            .setApplicationUri("urn:vigil:test")
            .setApplicationName(LocalizedText.english("vigil test"))
            .setProductUri("urn:vigil")
            .setEndpoints(Set.of(endpoint))
            .build();
        OpcUaServer server = new OpcUaServer(config,
            tp -> new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        PlantNamespace ns = new PlantNamespace(server);
        ns.startup();
        server.startup().get();
        return new MiloServer(server, ns);
    }

    @Override
    public void close() throws Exception {
        namespace.shutdown();
        server.shutdown().get();
    }

    private static final class PlantNamespace extends ManagedNamespaceWithLifecycle {
        private final SubscriptionModel subscriptions;

        PlantNamespace(OpcUaServer server) {
            super(server, NAMESPACE_URI);
            subscriptions = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptions);
            getLifecycleManager().addStartupTask(this::addNodes);
        }

        private void addNodes() {
            UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Plant"), newQualifiedName("Plant"),
                LocalizedText.english("Plant"));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(folder.getNodeId(), ReferenceTypes.Organizes,
                NodeIds.ObjectsFolder.expanded(), false));

            UaVariableNode temperature = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId("Temperature"))
                .setBrowseName(newQualifiedName("Temperature"))
                .setDisplayName(LocalizedText.english("Temperature"))
                .setDataType(NodeIds.Double)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(AccessLevel.READ_ONLY)
                .setUserAccessLevel(AccessLevel.READ_ONLY)
                .build();
            temperature.setValue(new DataValue(new Variant(21.5)));
            getNodeManager().addNode(temperature);
            folder.addOrganizes(temperature);

            UaVariableNode setpoint = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId("Setpoint"))
                .setBrowseName(newQualifiedName("Setpoint"))
                .setDisplayName(LocalizedText.english("Setpoint"))
                .setDataType(NodeIds.Double)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .setAccessLevel(AccessLevel.READ_WRITE)
                .setUserAccessLevel(AccessLevel.READ_WRITE)
                .build();
            setpoint.setValue(new DataValue(new Variant(20.0)));
            getNodeManager().addNode(setpoint);
            folder.addOrganizes(setpoint);

            UaMethodNode reset = UaMethodNode.builder(getNodeContext())
                .setNodeId(newNodeId("Reset"))
                .setBrowseName(newQualifiedName("Reset"))
                .setDisplayName(LocalizedText.english("Reset"))
                .build();
            AbstractMethodInvocationHandler handler = new AbstractMethodInvocationHandler(reset) {
                @Override
                public Argument[] getInputArguments() {
                    return new Argument[0];
                }

                @Override
                public Argument[] getOutputArguments() {
                    return new Argument[0];
                }

                @Override
                protected Variant[] invoke(InvocationContext ctx, Variant[] in) {
                    setpoint.setValue(new DataValue(new Variant(20.0)));
                    return new Variant[0];
                }
            };
            reset.setInputArguments(handler.getInputArguments());
            reset.setOutputArguments(handler.getOutputArguments());
            reset.setInvocationHandler(handler);
            getNodeManager().addNode(reset);
            folder.addComponent(reset);
        }

        @Override
        public void onDataItemsCreated(List<DataItem> items) {
            subscriptions.onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(List<DataItem> items) {
            subscriptions.onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(List<DataItem> items) {
            subscriptions.onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> items) {
            subscriptions.onMonitoringModeChanged(items);
        }
    }
}
