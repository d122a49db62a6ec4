"""The program without its window: data, rules, documents, exchange and the command line.

Layers, bottom up. A module imports only from the layers below it (and, inside a layer,
only from the modules named before it); an import inside a function counts the same as
one at the top. Only imports under ``if TYPE_CHECKING:`` may point anywhere, since they
never run. ``tests/test_import_cycles.py`` walks every import and fails on any cycle.

1. Foundations, importing nothing of the project but each other: ``errors``, ``files``
   (the one atomic write of every file the program produces), ``cipher`` (the
   SQLCipher driver every file is opened with, the keys unlocked in this process),
   ``keyslots`` (the database key wrapped per account, recovery key and OS user), ``activity`` (the
   station's local date and what “active on day D” means), ``text``,
   ``catalog``, ``rules`` (the entry rules every way data comes in shares: texts,
   dates, counts, codes), ``schema``, ``paths`` (the data folder and the backups folder),
   ``version``, ``resources``, ``admin_units`` (the official list of administrative
   units: its file, its table's queries), ``periods``, ``records``, ``instance``, and ``context``
   (:class:`~core.context.Station`, :class:`~core.context.Context` and
   :func:`~core.context.accounts_exist`: the open session every service receives).
2. ``store`` (every write, with its listeners), then ``audit`` (the hash-chained trail;
   :func:`core.audit.attach` is handed the permission check instead of importing it).
3. ``migrations`` (the schema steps; migration 0003 writes the audit baseline), then
   ``accounts`` (roles, passwords, :func:`core.accounts.require`).
4. ``db`` (opens the file, applies the migrations; a hook runs before they do),
   ``logs``, ``backup`` (encrypted copies carrying their key slots, automatic backups,
   restore), ``encrypt`` (a plain database of before encryption converted on first start).
5. ``station``: creates and opens stations. It wires the audit trail to
   ``accounts.require`` and takes the automatic backup before a migration
   (``db.open_existing(before_migration=...)``). It re-exports ``Station``, ``Context``
   and ``fingerprint``, so ``from core.station import Context`` still works.
6. Everything that works on an open station: ``queries``, ``repos``, ``report``,
   ``integrity``, ``services``, ``workbook``, ``intake`` (lists a station already
   keeps: reader, legacy encodings, inspection, plan, apply, review queue, repair),
   ``documents``, ``exchange``, ``sample_data``. These import each other in one direction only, not in a fixed
   order (``report`` and ``documents.exchange_docs`` read ``exchange.ledger``).
7. The headless interface: ``cli.base`` (exit codes, ``Outcome``, the parser; layer 1
   in fact), ``cli.common``, the command modules, ``cli.commands``, and ``cli`` itself
   (``run``), which re-exports the names of ``cli.base``.

Inside a package, ``pkg/__init__.py`` may import its submodules and the submodules may
import each other one way; importing ``pkg.sub`` is not counted as importing ``pkg``.
"""
