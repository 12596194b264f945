const { PGlite } = require('@electric-sql/pglite');
const rss = () => Math.round(process.memoryUsage().rss / 1048576);
(async () => {
  const opts = JSON.parse(process.argv[3] || '{}');
  console.log('base', rss());
  const t = Date.now();
  const pg = new PGlite(process.argv[2], opts);
  await pg.waitReady;
  console.log('ready', rss(), Date.now() - t, 'ms');
  await pg.exec(
    "create table if not exists t(id serial primary key, j jsonb); insert into t(j) select jsonb_build_object('a', g) from generate_series(1,1000) g;",
  );
  const r = await pg.query('show shared_buffers');
  console.log(r.rows);
  console.log('after', rss());
  global.gc && global.gc();
  await new Promise((r) => setTimeout(r, 1000));
  console.log('after gc', rss(), process.memoryUsage());
  await pg.close();
})();
