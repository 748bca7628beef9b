import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Unit and integration tests: everything except the browser tests.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/browser/**", "tests/server/**", "node_modules/**"],
    environment: "node",
    testTimeout: 20000,
    pool: "forks",
  },
});
