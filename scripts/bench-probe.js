// Preloaded by the benchmark: reports the peak RSS of the process on exit (the parent times it).
const start = process.hrtime.bigint();
process.on("exit", () => {
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const maxRssKb = process.resourceUsage().maxRSS;
  process.stderr.write(`BENCH ${JSON.stringify({ wallMs, maxRssMb: maxRssKb / 1024 })}\n`);
});
