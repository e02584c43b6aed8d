import { interceptLocalhostDns } from "fauxqs";

// Emulated queue and bucket hosts are <name>.localhost; resolve them to loopback as browsers do.
interceptLocalhostDns();
