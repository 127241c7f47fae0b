// Prints the region names of a mesh-config topology, one a line, for bin/meshdesk-up. Run with
// the source launcher on meshctl's classpath (it carries Jackson's YAML reader):
//   java -cp mesh-config/target/meshctl.jar bin/lib/TopologyRegions.java mesh-config/topology.yaml
import java.io.File;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

public class TopologyRegions {
    public static void main(String[] args) throws Exception {
        JsonNode regions = new ObjectMapper(new YAMLFactory()).readTree(new File(args[0])).path("regions");
        if (!regions.isArray() || regions.isEmpty()) {
            System.err.println(args[0] + " lists no regions (a 'regions' list with a 'name' each)");
            System.exit(2);
        }
        for (JsonNode region : regions) {
            System.out.println(region.path("name").asText());
        }
    }
}
