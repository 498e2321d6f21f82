-- sqlite3 workload for run.sh: an in-memory table of @rows rows, two
-- indexes, a self join, an update and a delete; every result is printed.
-- sqlite3 :memory: ".parameter set @rows 300000" ".read bench/allocators/sqlite.sql"
create table t(a integer primary key, b text, c integer);
with recursive n(x) as (select 1 union all select x + 1 from n where x < @rows)
insert into t select x, printf('%08x-%s', (x * 2654435761) % 4294967291, hex(x * 7919)), x % 1000 from n;
create index tb on t(b);
create index tc on t(c, b);
select count(*), sum(length(b)), count(distinct c) from t;
select c, count(*), max(b) from t group by c order by c desc limit 3;
select count(*) from t as u join t as v on v.a = u.a + 1 where u.b < v.b;
update t set b = b || 'x' where c % 3 = 0;
delete from t where c % 5 = 0;
select count(*), sum(a), max(b) from t;
