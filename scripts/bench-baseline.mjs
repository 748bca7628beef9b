// The benchmark's reference: a plain node:http server sending fixed bytes from memory.
import http from "node:http";

const body = Buffer.from(process.env.BENCH_BODY_B64 ?? "", "base64");
const contentType = process.env.BENCH_CONTENT_TYPE ?? "text/html; charset=utf-8";
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": contentType, "Content-Length": body.length });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`ready on http://localhost:${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
