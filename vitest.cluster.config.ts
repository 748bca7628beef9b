import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// `npm run test:cluster`: several production servers on one PostgreSQL database
// (tests/support/cluster.ts), against a production build. One file at a time.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/cluster/**/*.test.ts"],
    globalSetup: ["tests/browser/global-setup.ts", "tests/support/postgres-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
  },
});
