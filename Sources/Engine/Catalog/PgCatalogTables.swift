import Columnar

/// The `pg_catalog` relations clients query (psql's backslash commands, JDBC's
/// DatabaseMetaData, SQLAlchemy's inspector, BI tools): PostgreSQL 15's columns, rows
/// describing the lake. Catalogs of things Basalt does not have (indexes, constraints,
/// defaults, inheritance, policies, publications, ...) exist with no rows, so queries
/// that join them still run.
enum PgCatalogTables {
    static let pg = SystemCatalog.pgCatalog
    static let owner = Value.oid(CatalogObjects.bootstrapSuperuserOID)

    static let all: [SystemTable] = [
        SystemTable(pg, "pg_namespace", "oid:oid nspname:name nspowner:oid nspacl:aclitem[]") { o in
            o.namespaces.map { ["oid": .oid($0.oid), "nspname": .string($0.name), "nspowner": owner] }
        },
        SystemTable(pg, "pg_class", """
            oid:oid relname:name relnamespace:oid reltype:oid reloftype:oid relowner:oid relam:oid relfilenode:oid
            reltablespace:oid relpages:int4 reltuples:float4 relallvisible:int4 reltoastrelid:oid relhasindex:bool
            relisshared:bool relpersistence:char relkind:char relnatts:int2 relchecks:int2 relhasrules:bool
            relhastriggers:bool relhassubclass:bool relrowsecurity:bool relforcerowsecurity:bool relispopulated:bool
            relreplident:char relispartition:bool relrewrite:oid relfrozenxid:xid relminmxid:xid relacl:aclitem[]
            reloptions:text[] relpartbound:pg_node_tree
            """) { o in
            o.relations.map { r in
                ["oid": .oid(r.oid), "relname": .string(r.name), "relnamespace": .oid(r.namespace.oid), "relowner": owner,
                 "relam": .oid(r.kind == "r" ? 2 : 0), "relfilenode": .oid(r.kind == "r" ? r.oid : 0),
                 "relpages": .int(Int64(r.bytes / 8192)), "reltuples": .double(r.table == nil ? -1 : r.rowEstimate),
                 "relpersistence": .string("p"), "relkind": .string(r.kind), "relnatts": .int(Int64(r.columns.count)),
                 "relispopulated": .boolean(true), "relreplident": .string(r.kind == "r" ? "d" : "n")]
            }
        },
        SystemTable(pg, "pg_attribute", """
            attrelid:oid attname:name atttypid:oid attstattarget:int4 attlen:int2 attnum:int2 attndims:int4 attcacheoff:int4
            atttypmod:int4 attbyval:bool attalign:char attstorage:char attcompression:char attnotnull:bool atthasdef:bool
            atthasmissing:bool attidentity:char attgenerated:char attisdropped:bool attislocal:bool attinhcount:int4
            attcollation:oid attacl:aclitem[] attoptions:text[] attfdwoptions:text[] attmissingval:text
            """) { o in
            o.relations.flatMap { r in
                r.columns.enumerated().map { (i, c) in
                    let type = PostgresType.of(c.type)
                    return ["attrelid": .oid(r.oid), "attname": .string(c.name), "atttypid": .oid(type.oid), "attstattarget": .int(-1),
                            "attlen": .int(Int64(type.length)), "attnum": .int(Int64(i + 1)), "attndims": .int(type.category == "A" ? 1 : 0),
                            "attcacheoff": .int(-1), "atttypmod": .int(Int64(PostgresType.modifier(of: c.type))),
                            "attbyval": .boolean(type.length > 0 && type.length <= 8), "attalign": .string(PgTypeRows.alignment(type)),
                            "attstorage": .string(type.length == -1 ? "x" : "p"), "attcompression": .string(""), "attnotnull": .boolean(c.notNull),
                            "attidentity": .string(""), "attgenerated": .string(""), "attislocal": .boolean(true),
                            "attcollation": .oid(PgTypeRows.collation(type))]
                }
            }
        },
        SystemTable(pg, "pg_type", """
            oid:oid typname:name typnamespace:oid typowner:oid typlen:int2 typbyval:bool typtype:char typcategory:char
            typispreferred:bool typisdefined:bool typdelim:char typrelid:oid typsubscript:regproc typelem:oid typarray:oid
            typinput:regproc typoutput:regproc typreceive:regproc typsend:regproc typmodin:regproc typmodout:regproc
            typanalyze:regproc typalign:char typstorage:char typnotnull:bool typbasetype:oid typtypmod:int4 typndims:int4
            typcollation:oid typdefaultbin:pg_node_tree typdefault:text typacl:aclitem[]
            """) { _ in PgTypeRows.rows },
        SystemTable(pg, "pg_database", """
            oid:oid datname:name datdba:oid encoding:int4 datlocprovider:char datistemplate:bool datallowconn:bool
            datconnlimit:int4 datfrozenxid:xid datminmxid:xid dattablespace:oid datcollate:text datctype:text
            daticulocale:text datcollversion:text datacl:aclitem[]
            """) { o in
            [["oid": .oid(o.databaseOID), "datname": .string(o.session.database), "datdba": owner, "encoding": .int(6),
              "datlocprovider": .string("c"), "datallowconn": .boolean(true), "datconnlimit": .int(-1), "dattablespace": .oid(1663),
              "datcollate": .string("C"), "datctype": .string("C")]]
        },
        SystemTable(pg, "pg_roles", """
            rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool rolcanlogin:bool rolreplication:bool
            rolconnlimit:int4 rolpassword:text rolvaliduntil:timestamptz rolbypassrls:bool rolconfig:text[] oid:oid
            """) { o in o.roles.map(roleRow) },
        SystemTable(pg, "pg_authid", """
            oid:oid rolname:name rolsuper:bool rolinherit:bool rolcreaterole:bool rolcreatedb:bool rolcanlogin:bool
            rolreplication:bool rolbypassrls:bool rolconnlimit:int4 rolpassword:text rolvaliduntil:timestamptz
            """) { o in o.roles.map { var r = roleRow($0); r["rolpassword"] = .null; return r } },
        SystemTable(pg, "pg_user", """
            usename:name usesysid:oid usecreatedb:bool usesuper:bool userepl:bool usebypassrls:bool passwd:text
            valuntil:timestamptz useconfig:text[]
            """) { o in
            o.roles.map { ["usename": .string($0.name), "usesysid": .oid($0.oid), "usecreatedb": .boolean($0.isSuperuser),
                           "usesuper": .boolean($0.isSuperuser), "passwd": .string("********")] }
        },
        SystemTable(pg, "pg_auth_members", "roleid:oid member:oid grantor:oid admin_option:bool"),
        SystemTable(pg, "pg_settings", """
            name:text setting:text unit:text category:text short_desc:text extra_desc:text context:text vartype:text
            source:text min_val:text max_val:text enumvals:text[] boot_val:text reset_val:text sourcefile:text
            sourceline:int4 pending_restart:bool
            """) { o in
            SettingDefaults.all.map { s in
                let value = o.session.setting(s.name) ?? s.value
                return ["name": .string(s.name), "setting": .string(value), "unit": .text(s.unit), "category": .string(s.category),
                        "short_desc": .string(s.description), "context": .string(s.context), "vartype": .string(s.type),
                        "source": .string(value == s.value ? "default" : "session"), "boot_val": .string(s.value),
                        "reset_val": .string(s.value), "sourceline": .null]
            }
        },
        SystemTable(pg, "pg_index", """
            indexrelid:oid indrelid:oid indnatts:int2 indnkeyatts:int2 indisunique:bool indnullsnotdistinct:bool
            indisprimary:bool indisexclusion:bool indimmediate:bool indisclustered:bool indisvalid:bool indcheckxmin:bool
            indisready:bool indislive:bool indisreplident:bool indkey:int2vector indcollation:oidvector indclass:oidvector
            indoption:int2vector indexprs:pg_node_tree indpred:pg_node_tree
            """),
        SystemTable(pg, "pg_description", "objoid:oid classoid:oid objsubid:int4 description:text"),
        SystemTable(pg, "pg_shdescription", "objoid:oid classoid:oid description:text"),
        SystemTable(pg, "pg_proc", """
            oid:oid proname:name pronamespace:oid proowner:oid prolang:oid procost:float4 prorows:float4 provariadic:oid
            prosupport:regproc prokind:char prosecdef:bool proleakproof:bool proisstrict:bool proretset:bool
            provolatile:char proparallel:char pronargs:int2 pronargdefaults:int2 prorettype:oid proargtypes:oidvector
            proallargtypes:oid[] proargmodes:char[] proargnames:text[] proargdefaults:pg_node_tree protrftypes:oid[]
            prosrc:text probin:text prosqlbody:pg_node_tree proconfig:text[] proacl:aclitem[]
            """) { _ in PgProcRows.rows },
        SystemTable(pg, "pg_constraint", """
            oid:oid conname:name connamespace:oid contype:char condeferrable:bool condeferred:bool convalidated:bool
            conrelid:oid contypid:oid conindid:oid conparentid:oid confrelid:oid confupdtype:char confdeltype:char
            confmatchtype:char conislocal:bool coninhcount:int4 connoinherit:bool conkey:int2[] confkey:int2[]
            conpfeqop:oid[] conppeqop:oid[] conffeqop:oid[] confdelsetcols:int2[] conexclop:oid[] conbin:pg_node_tree
            """),
        SystemTable(pg, "pg_attrdef", "oid:oid adrelid:oid adnum:int2 adbin:pg_node_tree"),
        SystemTable(pg, "pg_inherits", "inhrelid:oid inhparent:oid inhseqno:int4 inhdetachpending:bool"),
        SystemTable(pg, "pg_am", "oid:oid amname:name amhandler:regproc amtype:char") { _ in
            [["oid": .oid(2), "amname": .string("heap"), "amhandler": .string("heap_tableam_handler"), "amtype": .string("t")],
             ["oid": .oid(403), "amname": .string("btree"), "amhandler": .string("bthandler"), "amtype": .string("i")]]
        },
        SystemTable(pg, "pg_language", """
            oid:oid lanname:name lanowner:oid lanispl:bool lanpltrusted:bool lanplcallfoid:oid laninline:oid
            lanvalidator:oid lanacl:aclitem[]
            """) { _ in
            // Basalt's functions are all built in (prolang 12, internal).
            [("internal", 12, false), ("c", 13, false), ("sql", 14, true)].map { (name, oid, trusted) in
                ["oid": .oid(Int32(oid)), "lanname": .string(name), "lanowner": owner, "lanispl": .boolean(false),
                 "lanpltrusted": .boolean(trusted), "lanplcallfoid": .oid(0), "laninline": .oid(0), "lanvalidator": .oid(0)]
            }
        },
        SystemTable(pg, "pg_tablespace", "oid:oid spcname:name spcowner:oid spcacl:aclitem[] spcoptions:text[]") { _ in
            [["oid": .oid(1663), "spcname": .string("pg_default"), "spcowner": owner],
             ["oid": .oid(1664), "spcname": .string("pg_global"), "spcowner": owner]]
        },
        SystemTable(pg, "pg_collation", """
            oid:oid collname:name collnamespace:oid collowner:oid collprovider:char collisdeterministic:bool
            collencoding:int4 collcollate:text collctype:text colliculocale:text collversion:text
            """) { _ in
            [("default", 100, "d", -1, nil), ("C", 950, "c", -1, "C"), ("POSIX", 951, "c", -1, "POSIX")].map { (name, oid, provider, encoding, locale) in
                ["oid": .oid(Int32(oid)), "collname": .string(name), "collnamespace": .oid(CatalogObjects.pgCatalogOID), "collowner": owner,
                 "collprovider": .string(provider), "collisdeterministic": .boolean(true), "collencoding": .int(Int64(encoding)),
                 "collcollate": .text(locale), "collctype": .text(locale)]
            }
        },
        SystemTable(pg, "pg_extension", """
            oid:oid extname:name extowner:oid extnamespace:oid extrelocatable:bool extversion:text extconfig:oid[] extcondition:text[]
            """),
        SystemTable(pg, "pg_enum", "oid:oid enumtypid:oid enumsortorder:float4 enumlabel:name"),
        SystemTable(pg, "pg_range", """
            rngtypid:oid rngsubtype:oid rngmultitypid:oid rngcollation:oid rngsubopc:oid rngcanonical:regproc rngsubdiff:regproc
            """),
        SystemTable(pg, "pg_stat_activity", """
            datid:oid datname:name pid:int4 leader_pid:int4 usesysid:oid usename:name application_name:text client_addr:text
            client_hostname:text client_port:int4 backend_start:timestamptz xact_start:timestamptz query_start:timestamptz
            state_change:timestamptz wait_event_type:text wait_event:text state:text backend_xid:xid backend_xmin:xid
            query_id:int8 query:text backend_type:text
            """) { o in
            [["datid": .oid(o.databaseOID), "datname": .string(o.session.database), "pid": .int(Int64(o.session.backendPID)),
              "leader_pid": .null, "usesysid": .oid(o.currentRole.oid), "usename": .string(o.session.user),
              "application_name": .string(o.session.setting("application_name") ?? ""), "client_port": .null,
              "state": .string("active"), "backend_xid": .null, "backend_xmin": .null, "query_id": .null,
              "backend_type": .string("client backend")]]
        },
        SystemTable(pg, "pg_policy", """
            oid:oid polname:name polrelid:oid polcmd:char polpermissive:bool polroles:oid[] polqual:pg_node_tree polwithcheck:pg_node_tree
            """),
        SystemTable(pg, "pg_statistic_ext", """
            oid:oid stxrelid:oid stxname:name stxnamespace:oid stxowner:oid stxstattarget:int4 stxkeys:int2vector stxkind:char[]
            stxexprs:pg_node_tree
            """),
        SystemTable(pg, "pg_publication", """
            oid:oid pubname:name pubowner:oid puballtables:bool pubinsert:bool pubupdate:bool pubdelete:bool pubtruncate:bool pubviaroot:bool
            """),
        SystemTable(pg, "pg_publication_namespace", "oid:oid pnpubid:oid pnnspid:oid"),
        SystemTable(pg, "pg_publication_rel", "oid:oid prpubid:oid prrelid:oid prqual:pg_node_tree prattrs:int2vector"),
        SystemTable(pg, "pg_sequence", """
            seqrelid:oid seqtypid:oid seqstart:int8 seqincrement:int8 seqmax:int8 seqmin:int8 seqcache:int8 seqcycle:bool
            """),
        SystemTable(pg, "pg_opclass", """
            oid:oid opcmethod:oid opcname:name opcnamespace:oid opcowner:oid opcfamily:oid opcintype:oid opcdefault:bool opckeytype:oid
            """),
        SystemTable(pg, "pg_trigger", """
            oid:oid tgrelid:oid tgparentid:oid tgname:name tgfoid:oid tgtype:int2 tgenabled:char tgisinternal:bool
            tgconstrrelid:oid tgconstrindid:oid tgconstraint:oid tgdeferrable:bool tginitdeferred:bool tgnargs:int2
            tgattr:int2vector tgargs:text tgqual:pg_node_tree tgoldtable:name tgnewtable:name
            """),
        SystemTable(pg, "pg_tables", """
            schemaname:name tablename:name tableowner:name tablespace:name hasindexes:bool hasrules:bool hastriggers:bool rowsecurity:bool
            """) { o in
            o.relations.filter { $0.kind == "r" }.map {
                ["schemaname": .string($0.namespace.name), "tablename": .string($0.name), "tableowner": .string(Principal.superuser.user)]
            }
        },
        SystemTable(pg, "pg_views", "schemaname:name viewname:name viewowner:name definition:text"),
        SystemTable(pg, "pg_matviews", """
            schemaname:name matviewname:name matviewowner:name tablespace:name hasindexes:bool ispopulated:bool definition:text
            """),
        SystemTable(pg, "pg_indexes", "schemaname:name tablename:name indexname:name tablespace:name indexdef:text"),
    ]

    static func roleRow(_ role: CatalogObjects.Role) -> [String: Value] {
        ["oid": .oid(role.oid), "rolname": .string(role.name), "rolsuper": .boolean(role.isSuperuser), "rolinherit": .boolean(true),
         "rolcreaterole": .boolean(role.isSuperuser), "rolcreatedb": .boolean(role.isSuperuser), "rolcanlogin": .boolean(true),
         "rolreplication": .boolean(role.isSuperuser), "rolbypassrls": .boolean(role.isSuperuser), "rolconnlimit": .int(-1),
         "rolpassword": .string("********")]
    }
}
