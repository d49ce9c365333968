/** Integration tests: every module and its registrations (end-of-day steps…), as the server and the command line have them. */
import '../../src/composition';
