// GENERATED from contracts/*.yaml by `npm run contracts:generate`. Do not edit by hand.
// Dataform's compile sandbox cannot read YAML files; this is the contracts' view for SQLX.
module.exports = {
  "concord__client": {
    "source": "concord",
    "entity": "client",
    "raw_table": "concord__client",
    "description": "ConcordDb dbo.Client (phase 1): Clients (wholesale buyers and suppliers): names, codes, addresses, flags; a sub-client points at its main client. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(max). Free text; can exceed 8 KB."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "tin",
        "type": "text",
        "required": false,
        "description": "nvarchar(30). Individual taxpayer number (РНОКПП) of a person."
      },
      {
        "name": "usreou",
        "type": "text",
        "required": false,
        "description": "nvarchar(30). Company code in the Ukrainian state register (ЄДРПОУ)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "accountant_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "actual_address",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "delivery_address",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "director_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "email_address",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "fax_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "icq",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "legal_address",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "mobile_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "region_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Region.ID."
      },
      {
        "name": "sms_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "client_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max). Client code in the ERP; not unique there (duplicates are reported in dq)."
      },
      {
        "name": "sroi",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(150). Short name as the sales staff use it."
      },
      {
        "name": "full_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(200). Registered full name."
      },
      {
        "name": "is_individual",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "region_code_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References RegionCode.ID."
      },
      {
        "name": "is_active",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_sub_client",
        "type": "boolean",
        "required": false,
        "description": "bit not null. A sub-client of another client (see MainClientID and ClientSubClient)."
      },
      {
        "name": "abbreviation",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "is_blocked",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_trade_point",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "brand",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "client_bank_details_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientBankDetails.ID."
      },
      {
        "name": "country_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Country.ID."
      },
      {
        "name": "manufacturer",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "terms_of_delivery_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References TermsOfDelivery.ID."
      },
      {
        "name": "supplier_contact_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "supplier_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "packing_marking_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References PackingMarking.ID."
      },
      {
        "name": "packing_marking_payment_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References PackingMarkingPayment.ID."
      },
      {
        "name": "incoterms_else",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "is_pay_for_delivery",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_incoterms_else",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "supplier_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(40)."
      },
      {
        "name": "is_temporary_client",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "first_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(150)."
      },
      {
        "name": "last_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(150)."
      },
      {
        "name": "middle_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(150)."
      },
      {
        "name": "source_fenix_id",
        "type": "text",
        "required": false,
        "description": "varbinary(16). Id in the legacy Fenix system. Hex, 0x-prefixed."
      },
      {
        "name": "house_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(250)."
      },
      {
        "name": "street",
        "type": "text",
        "required": false,
        "description": "nvarchar(250)."
      },
      {
        "name": "zip_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(250)."
      },
      {
        "name": "clear_cart_after_days",
        "type": "integer",
        "required": false,
        "description": "int not null."
      },
      {
        "name": "is_from_e_commerce",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "manager",
        "type": "text",
        "required": false,
        "description": "nvarchar(250)."
      },
      {
        "name": "is_for_retail",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_workplace",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "original_region_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(10)."
      },
      {
        "name": "source_amg_code",
        "type": "integer",
        "required": false,
        "description": "bigint."
      },
      {
        "name": "source_amg_id",
        "type": "text",
        "required": false,
        "description": "varbinary(16). Id in the legacy AMG system. Hex, 0x-prefixed."
      },
      {
        "name": "source_fenix_code",
        "type": "integer",
        "required": false,
        "description": "bigint."
      },
      {
        "name": "is_not_resident",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "main_manager_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "main_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint. The main client of a sub-client. References Client.ID."
      },
      {
        "name": "order_expire_days",
        "type": "integer",
        "required": false,
        "description": "int not null."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientagreement": {
    "source": "concord",
    "entity": "clientagreement",
    "raw_table": "concord__clientagreement",
    "description": "ConcordDb dbo.ClientAgreement (phase 1): Agreements between a client and the company: reservation term and current amount. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "agreement_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Agreement.ID."
      },
      {
        "name": "client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Client.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "product_reservation_term",
        "type": "integer",
        "required": false,
        "description": "int not null."
      },
      {
        "name": "current_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Current amount of the agreement, in the agreement's currency (Agreement → Currency, not synced). Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "original_client_amg_code",
        "type": "integer",
        "required": false,
        "description": "bigint."
      },
      {
        "name": "original_client_fenix_code",
        "type": "integer",
        "required": false,
        "description": "bigint."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientbankdetailaccountnumber": {
    "source": "concord",
    "entity": "clientbankdetailaccountnumber",
    "raw_table": "concord__clientbankdetailaccountnumber",
    "description": "ConcordDb dbo.ClientBankDetailAccountNumber (phase 2): Bank account numbers of client bank details, with their currency. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "account_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max). Account number as typed in. Masked before it reaches mart."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "currency_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Currency.ID."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientbankdetailibanno": {
    "source": "concord",
    "entity": "clientbankdetailibanno",
    "raw_table": "concord__clientbankdetailibanno",
    "description": "ConcordDb dbo.ClientBankDetailIbanNo (phase 2): IBANs of client bank details, with their currency. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "currency_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Currency.ID."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "ibanno",
        "type": "text",
        "required": false,
        "description": "nvarchar(max). IBAN as typed in; not validated by the application (dq checks ISO 13616). Masked before it reaches mart."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientbankdetails": {
    "source": "concord",
    "entity": "clientbankdetails",
    "raw_table": "concord__clientbankdetails",
    "description": "ConcordDb dbo.ClientBankDetails (phase 1): Bank details of clients: bank and branch, SWIFT, links to the account number and IBAN rows. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "account_number_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientBankDetailAccountNumber.ID."
      },
      {
        "name": "bank_and_branch",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "client_bank_detail_iban_no_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientBankDetailIbanNo.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "branch_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "swift",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "bank_address",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientinrole": {
    "source": "concord",
    "entity": "clientinrole",
    "raw_table": "concord__clientinrole",
    "description": "ConcordDb dbo.ClientInRole (phase 2): The type and role of each client (one row per client). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "client_type_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientType.ID."
      },
      {
        "name": "client_type_role_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientTypeRole.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. One row per client (a unique index in ConcordDb). References Client.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clientsubclient": {
    "source": "concord",
    "entity": "clientsubclient",
    "raw_table": "concord__clientsubclient",
    "description": "ConcordDb dbo.ClientSubClient (phase 2): Root client → sub-client links (hard-deleted by the application when unlinked). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "root_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. The main client. References Client.ID."
      },
      {
        "name": "sub_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. The sub-client. References Client.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clienttype": {
    "source": "concord",
    "entity": "clienttype",
    "raw_table": "concord__clienttype",
    "description": "ConcordDb dbo.ClientType (phase 1): Client types (buyer, provider, resale client). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(75)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "client_type_icon",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "allow_multiple",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "type",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum ClientTypeType: 0 Buyer, 1 Provider, 2 ReSaleClient."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clienttyperole": {
    "source": "concord",
    "entity": "clienttyperole",
    "raw_table": "concord__clienttyperole",
    "description": "ConcordDb dbo.ClientTypeRole (phase 1): Roles within a client type (wholesale, retail, dealer…). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "client_type_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientType.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(75)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "order_expire_days",
        "type": "integer",
        "required": false,
        "description": "int not null."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clienttyperoletranslation": {
    "source": "concord",
    "entity": "clienttyperoletranslation",
    "raw_table": "concord__clienttyperoletranslation",
    "description": "ConcordDb dbo.ClientTypeRoleTranslation (phase 4): Client type role names and descriptions per culture. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "client_type_role_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientTypeRole.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "culture_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(4)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(75)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__clienttypetranslation": {
    "source": "concord",
    "entity": "clienttypetranslation",
    "raw_table": "concord__clienttypetranslation",
    "description": "ConcordDb dbo.ClientTypeTranslation (phase 4): Client type names per culture (uk, ru, pl…). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "client_type_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientType.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "culture_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(4)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(75)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__order": {
    "source": "concord",
    "entity": "order",
    "raw_table": "concord__order",
    "description": "ConcordDb dbo.Order (phase 1): Orders (shop, local, offer) of a client agreement. Empty in the development database. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "order_source",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum OrderSource: 0 Shop, 1 Local, 2 Offer."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "user_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "client_agreement_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientAgreement.ID."
      },
      {
        "name": "order_status",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum OrderStatus: 0 NewOrderCart, 1 Sale, 2 Closed."
      },
      {
        "name": "is_merged",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "client_shopping_cart_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientShoppingCart.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__orderitem": {
    "source": "concord",
    "entity": "orderitem",
    "raw_table": "concord__orderitem",
    "description": "ConcordDb dbo.OrderItem (phase 1): Order lines: product, quantity, price per item (with and without VAT), discounts. Empty in the development database. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "order_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Order.ID."
      },
      {
        "name": "product_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Product.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": false,
        "description": "float not null. Quantity ordered (float)."
      },
      {
        "name": "user_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(450)."
      },
      {
        "name": "is_valid_for_current_sale",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "client_shopping_cart_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientShoppingCart.ID."
      },
      {
        "name": "price_per_item",
        "type": "decimal",
        "required": false,
        "description": "decimal(30,14) not null. Price per item in the agreement's currency. Exact text from the server (a double would lose digits)."
      },
      {
        "name": "one_time_discount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "from_offer_qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "is_from_offer",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "ordered_qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "exchange_rate_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "offer_processing_status",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum OfferProcessingStatus: 0 NotProcessed, 1 PartiallyProcessed, 2 FullyProcessed."
      },
      {
        "name": "offer_processing_status_changed_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "discount_updated_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "one_time_discount_comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(450)."
      },
      {
        "name": "unpacked_qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "discount_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "price_per_item_without_vat",
        "type": "decimal",
        "required": false,
        "description": "decimal(30,14) not null. Exact text from the server (a double would lose digits)."
      },
      {
        "name": "returned_qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "assigned_specification_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ProductSpecification.ID."
      },
      {
        "name": "is_from_re_sale",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "misplaced_sale_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References MisplacedSale.ID."
      },
      {
        "name": "vat",
        "type": "decimal",
        "required": false,
        "description": "decimal(30,14) not null. Exact text from the server (a double would lose digits)."
      },
      {
        "name": "invoice_document_qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "is_closed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "storage_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Storage.ID."
      },
      {
        "name": "is_from_shifted_item",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__organizationclient": {
    "source": "concord",
    "entity": "organizationclient",
    "raw_table": "concord__organizationclient",
    "description": "ConcordDb dbo.OrganizationClient (phase 1): Organisation clients (Polish companies): full name, address, NIP, margin. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "full_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(500)."
      },
      {
        "name": "address",
        "type": "text",
        "required": false,
        "description": "nvarchar(500)."
      },
      {
        "name": "country",
        "type": "text",
        "required": false,
        "description": "nvarchar(100)."
      },
      {
        "name": "city",
        "type": "text",
        "required": false,
        "description": "nvarchar(100)."
      },
      {
        "name": "nip",
        "type": "text",
        "required": false,
        "description": "nvarchar(100). Polish tax identification number."
      },
      {
        "name": "margin_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Margin agreed with the organisation. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__organizationclientagreement": {
    "source": "concord",
    "entity": "organizationclientagreement",
    "raw_table": "concord__organizationclientagreement",
    "description": "ConcordDb dbo.OrganizationClientAgreement (phase 2): Agreements of organisation clients: number, start date, currency. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "number",
        "type": "text",
        "required": false,
        "description": "nvarchar(50)."
      },
      {
        "name": "from_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "currency_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Currency.ID."
      },
      {
        "name": "organization_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References OrganizationClient.ID."
      },
      {
        "name": "agreement_type_civil_code_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References AgreementTypeCivilCode.ID."
      },
      {
        "name": "tax_accounting_scheme_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References TaxAccountingScheme.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__perfectclient": {
    "source": "concord",
    "entity": "perfectclient",
    "raw_table": "concord__perfectclient",
    "description": "ConcordDb dbo.PerfectClient (phase 1): Checklist items of the 'perfect client' profile per client type role. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "is_selected",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "lable",
        "type": "text",
        "required": false,
        "description": "nvarchar(100)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "value",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "type",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum PerfectClientType: 1 Checkbox, 2 Toggle."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "nvarchar(250)."
      },
      {
        "name": "client_type_role_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References ClientTypeRole.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__perfectclienttranslation": {
    "source": "concord",
    "entity": "perfectclienttranslation",
    "raw_table": "concord__perfectclienttranslation",
    "description": "ConcordDb dbo.PerfectClientTranslation (phase 4): Perfect-client checklist texts per culture. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "culture_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "perfect_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References PerfectClient.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__perfectclientvalue": {
    "source": "concord",
    "entity": "perfectclientvalue",
    "raw_table": "concord__perfectclientvalue",
    "description": "ConcordDb dbo.PerfectClientValue (phase 4): Selectable values of perfect-client checklist items. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "is_selected",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "perfect_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References PerfectClient.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "value",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__perfectclientvaluetranslation": {
    "source": "concord",
    "entity": "perfectclientvaluetranslation",
    "raw_table": "concord__perfectclientvaluetranslation",
    "description": "ConcordDb dbo.PerfectClientValueTranslation (phase 4): Perfect-client values per culture. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "culture_code",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "perfect_client_value_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References PerfectClientValue.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "value",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__retailclient": {
    "source": "concord",
    "entity": "retailclient",
    "raw_table": "concord__retailclient",
    "description": "ConcordDb dbo.RetailClient (phase 1): Retail (e-commerce) clients: name, phone, shopping cart. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "nvarchar(150)."
      },
      {
        "name": "phone_number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max) not null."
      },
      {
        "name": "shopping_cart_json",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "ecommerce_region_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References EcommerceRegion.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__sale": {
    "source": "concord",
    "entity": "sale",
    "raw_table": "concord__sale",
    "description": "ConcordDb dbo.Sale (phase 1): Sales: one per order, with agreement, invoice document and number, delivery and payment state. Empty in the development database. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "client_agreement_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientAgreement.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "order_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. The order this sale came from (one sale per order). References Order.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "user_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "base_life_cycle_status_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References BaseLifeCycleStatus.ID."
      },
      {
        "name": "base_sale_payment_status_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References BaseSalePaymentStatus.ID."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(450)."
      },
      {
        "name": "sale_number_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References SaleNumber.ID."
      },
      {
        "name": "delivery_recipient_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References DeliveryRecipient.ID."
      },
      {
        "name": "delivery_recipient_address_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References DeliveryRecipientAddress.ID."
      },
      {
        "name": "transporter_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Transporter.ID."
      },
      {
        "name": "shift_status_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References SaleBaseShiftStatus.ID."
      },
      {
        "name": "parent_net_id",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier."
      },
      {
        "name": "is_merged",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "sale_invoice_document_id",
        "type": "integer",
        "required": false,
        "description": "bigint. The invoice document of the sale. References SaleInvoiceDocument.ID."
      },
      {
        "name": "sale_invoice_number_id",
        "type": "integer",
        "required": false,
        "description": "bigint. The printed invoice number of the sale. References SaleInvoiceNumber.ID."
      },
      {
        "name": "changed_to_invoice",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. When the sale became an invoice. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "one_time_discount_comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(450)."
      },
      {
        "name": "changed_to_invoice_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "shipment_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "cash_on_delivery_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "has_documents",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_cash_on_delivery",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_printed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "ttn",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "shipping_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "tax_free_pack_list_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References TaxFreePackList.ID."
      },
      {
        "name": "sad_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Sad.ID."
      },
      {
        "name": "is_vat_sale",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "shipping_amount_eur",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "expired_days",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "is_locked",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_payment_bill_downloaded",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_imported",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_printed_payment_invoice",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_accepted_to_packing",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "retail_client_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References RetailClient.ID."
      },
      {
        "name": "is_full_payment",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "misplaced_sale_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References MisplacedSale.ID."
      },
      {
        "name": "workplace_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Workplace.ID."
      },
      {
        "name": "update_user_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "customers_own_ttn_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References CustomersOwnTtn.ID."
      },
      {
        "name": "is_development",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "warehouses_shipment_id",
        "type": "integer",
        "required": false,
        "description": "bigint."
      },
      {
        "name": "is_printed_act_protocol_edit",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "bill_download_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__salebaseshiftstatus": {
    "source": "concord",
    "entity": "salebaseshiftstatus",
    "raw_table": "concord__salebaseshiftstatus",
    "description": "ConcordDb dbo.SaleBaseShiftStatus (phase 1): Shift statuses of sales (full or partial) with a comment. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "shift_status",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum SaleShiftStatus: 0 Full, 1 Partial."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__saleinvoicedocument": {
    "source": "concord",
    "entity": "saleinvoicedocument",
    "raw_table": "concord__saleinvoicedocument",
    "description": "ConcordDb dbo.SaleInvoiceDocument (phase 1): Sale invoice documents: payment type, VAT, shipping amounts (local currency and EUR), exchange rate. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "city",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "client_payment_type",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum ClientPaymentType: 0 Organization, 1 Individual."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "payment_type",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum SalePaymentType: 0 Cash, 1 Transfer, 2 CashAfterDelivery."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "vat",
        "type": "decimal",
        "required": false,
        "description": "money not null. VAT of the document, in the local currency. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "shipping_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Shipping, VAT included, in the local currency. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "shipping_amount_eur",
        "type": "decimal",
        "required": false,
        "description": "money not null. Shipping, VAT included, in EUR. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "exchange_rate_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. EUR exchange rate the document used. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "shipping_amount_without_vat",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "shipping_amount_eur_without_vat",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__saleinvoicenumber": {
    "source": "concord",
    "entity": "saleinvoicenumber",
    "raw_table": "concord__saleinvoicenumber",
    "description": "ConcordDb dbo.SaleInvoiceNumber (phase 1): Sale invoice numbers as printed. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "number",
        "type": "text",
        "required": false,
        "description": "nvarchar(50). Invoice number as printed."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__salereturn": {
    "source": "concord",
    "entity": "salereturn",
    "raw_table": "concord__salereturn",
    "description": "ConcordDb dbo.SaleReturn (phase 1): Returns of sales by a client. Empty in the development database. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "from_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Client.ID."
      },
      {
        "name": "created_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References User.ID."
      },
      {
        "name": "updated_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "number",
        "type": "text",
        "required": false,
        "description": "nvarchar(50)."
      },
      {
        "name": "is_canceled",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "canceled_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "client_agreement_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientAgreement.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__salereturnitem": {
    "source": "concord",
    "entity": "salereturnitem",
    "raw_table": "concord__salereturnitem",
    "description": "ConcordDb dbo.SaleReturnItem (phase 1): Returned order items with quantity, amount and reason. Empty in the development database. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "sale_return_item_status",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum SaleReturnItemStatus: 0 ProductArrivedNotAtTime, 1 NotFullDelivery, 2 IncorrectAssortment, 3 IncorrectCrossCode, 4 ProductAbandon, 5 IncorrectQuality, 6 Defect, 7 ClientNotTookProduct, 8 SupplierWithdrawal."
      },
      {
        "name": "is_money_returned",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "order_item_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References OrderItem.ID."
      },
      {
        "name": "sale_return_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References SaleReturn.ID."
      },
      {
        "name": "created_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References User.ID."
      },
      {
        "name": "money_returned_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "updated_by_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "money_returned_at",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "amount",
        "type": "decimal",
        "required": false,
        "description": "decimal(30,14) not null. Exact text from the server (a double would lose digits)."
      },
      {
        "name": "exchange_rate_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "storage_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Storage.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyorder": {
    "source": "concord",
    "entity": "supplyorder",
    "raw_table": "concord__supplyorder",
    "description": "ConcordDb dbo.SupplyOrder (phase 3): Supply orders to suppliers: prices, transport, arrival and completion dates (hard-deleted by sync jobs). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_price",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "client_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Client.ID."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "organization_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Organization.ID."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "supply_order_number_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References SupplyOrderNumber.ID."
      },
      {
        "name": "supply_pro_form_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References SupplyProForm.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "date_from",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "port_work_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References PortWorkService.ID."
      },
      {
        "name": "transportation_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References TransportationService.ID."
      },
      {
        "name": "gross_price",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "custom_agency_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References CustomAgencyService.ID."
      },
      {
        "name": "port_custom_agency_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References PortCustomAgencyService.ID."
      },
      {
        "name": "plane_delivery_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References PlaneDeliveryService.ID."
      },
      {
        "name": "vehicle_delivery_service_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References VehicleDeliveryService.ID."
      },
      {
        "name": "transportation_type",
        "type": "integer",
        "required": false,
        "description": "int not null. Enum SupplyTransportationType: 0 Vehicle, 1 Ship, 2 Plane."
      },
      {
        "name": "is_document_set",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_completed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_order_shipped",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "order_shipped_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "complete_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "ship_arrived",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "plane_arrived",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "vechical_arrived",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "is_order_arrived",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "order_arrived_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "is_placed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(500)."
      },
      {
        "name": "client_agreement_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References ClientAgreement.ID."
      },
      {
        "name": "is_gross_prices_calculated",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_fully_placed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_partially_placed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_order_inside_poland",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "additional_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "additional_percent",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "additional_payment_currency_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References Currency.ID."
      },
      {
        "name": "additional_payment_from_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "is_approved",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "responsible_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References User.ID."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyorderdeliverydocument": {
    "source": "concord",
    "entity": "supplyorderdeliverydocument",
    "raw_table": "concord__supplyorderdeliverydocument",
    "description": "ConcordDb dbo.SupplyOrderDeliveryDocument (phase 3): Delivery documents attached to supply orders. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "comment",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "is_received",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "processed_date",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "supply_delivery_document_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References SupplyDeliveryDocument.ID."
      },
      {
        "name": "supply_order_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References SupplyOrder.ID."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "user_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References User.ID."
      },
      {
        "name": "is_processed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "is_notified",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "content_type",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "document_url",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "file_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "generated_name",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyorderitem": {
    "source": "concord",
    "entity": "supplyorderitem",
    "raw_table": "concord__supplyorderitem",
    "description": "ConcordDb dbo.SupplyOrderItem (phase 3): Lines of supply orders: product, quantity, prices, weights (hard-deleted by sync jobs). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "item_no",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "product_id",
        "type": "integer",
        "required": false,
        "description": "bigint not null. References Product.ID."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "stock_no",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "supply_order_id",
        "type": "integer",
        "required": false,
        "description": "bigint. References SupplyOrder.ID."
      },
      {
        "name": "total_amount",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "unit_price",
        "type": "decimal",
        "required": false,
        "description": "money not null. Text with all 4 decimals (converted by the server)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "gross_weight",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "net_weight",
        "type": "decimal",
        "required": false,
        "description": "float not null."
      },
      {
        "name": "is_packed",
        "type": "boolean",
        "required": false,
        "description": "bit not null."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyordernumber": {
    "source": "concord",
    "entity": "supplyordernumber",
    "raw_table": "concord__supplyordernumber",
    "description": "ConcordDb dbo.SupplyOrderNumber (phase 3): Supply order numbers (hard-deleted by sync jobs). Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "number",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyorderpaymentdeliveryprotocolkey": {
    "source": "concord",
    "entity": "supplyorderpaymentdeliveryprotocolkey",
    "raw_table": "concord__supplyorderpaymentdeliveryprotocolkey",
    "description": "ConcordDb dbo.SupplyOrderPaymentDeliveryProtocolKey (phase 3): Keys of payment and delivery protocols of supply orders. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "key",
        "type": "text",
        "required": false,
        "description": "nvarchar(max)."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "concord__supplyorderukrainepaymentdeliveryprotocolkey": {
    "source": "concord",
    "entity": "supplyorderukrainepaymentdeliveryprotocolkey",
    "raw_table": "concord__supplyorderukrainepaymentdeliveryprotocolkey",
    "description": "ConcordDb dbo.SupplyOrderUkrainePaymentDeliveryProtocolKey (phase 3): Keys of Ukrainian payment and delivery protocols of supply orders. Raw keeps every version of a row with its operation; staging gives the current state.",
    "key": [
      "id"
    ],
    "columns": [
      {
        "name": "id",
        "type": "integer",
        "required": true,
        "description": "bigint not null. Primary key (identity); the extractor pages by it."
      },
      {
        "name": "net_uid",
        "type": "uuid",
        "required": false,
        "description": "uniqueidentifier not null. The application's GUID for the row."
      },
      {
        "name": "created",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. When the row was created, UTC without an offset. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "updated",
        "type": "timestamp",
        "required": false,
        "description": "datetime2 not null. Written by the application, which leaves it alone in about a third of its updates: not a change cursor. Text with 7 fractional digits (style 121)."
      },
      {
        "name": "deleted",
        "type": "boolean",
        "required": false,
        "description": "bit not null. Soft-delete flag: 1 when the application deleted the row (kept in raw, left out of dimensions and facts)."
      },
      {
        "name": "key",
        "type": "text",
        "required": false,
        "description": "nvarchar(150)."
      },
      {
        "name": "sync_operation",
        "type": "text",
        "required": false,
        "description": "What this raw row records: snapshot (first read), insert, update (soft deletes included) or delete (a tombstone: the key only)."
      },
      {
        "name": "sync_version",
        "type": "integer",
        "required": false,
        "description": "The change-tracking version of the change (or the table's version at a full read); for untracked tables the number of the comparison run."
      },
      {
        "name": "sync_row_hash",
        "type": "text",
        "required": false,
        "description": "Hash of the row's values; the next full read compares it to find updates."
      }
    ]
  },
  "events__opening_balance": {
    "source": "events",
    "entity": "opening_balance",
    "raw_table": "events__opening_balance",
    "description": "Opening balance per seller and currency: the balance carried in before the seller's first event in the warehouse (finance's figure from the system this one replaces). Applied to the first day of the seller's daily balance in that currency. When a later file gives a seller and currency again, the latest load wins.\n",
    "key": [
      "seller_id",
      "currency"
    ],
    "columns": [
      {
        "name": "seller_id",
        "type": "text",
        "required": true,
        "description": "The seller."
      },
      {
        "name": "currency",
        "type": "text",
        "required": true,
        "description": "ISO 4217 code of the balance."
      },
      {
        "name": "opening_balance",
        "type": "decimal",
        "required": true,
        "description": "The balance before the seller's first event; negative when the seller owed the marketplace."
      }
    ]
  },
  "events__seller_event": {
    "source": "events",
    "entity": "seller_event",
    "raw_table": "events__seller_event",
    "description": "Money events per seller, as exported by the marketplace. Which way money moves is decided by the event type: ORDER_PAID and PAYOUT_REVERSED are money in, PAYOUT, REFUND and FEE are money out (canonical.seller_ledger_event signs them so; a signed_amount or direction that disagrees is a sign_contradiction finding). Timestamps without an offset are read in the time zone given at extraction (`salesdw extract events --timezone`, recorded in the load's details).\n",
    "key": [
      "event_id"
    ],
    "columns": [
      {
        "name": "event_id",
        "type": "text",
        "required": true,
        "description": "The event's id, `20250701-S004-837647` style or a UUID; the same id twice is one event."
      },
      {
        "name": "event_ts",
        "type": "timestamp",
        "required": true,
        "description": "When the money moved. ISO 8601 with `T` or a space; an offset (+03:00, Z) is honoured, a naive value is read in the load's time zone.",
        "timezone": "load"
      },
      {
        "name": "seller_id",
        "type": "text",
        "required": true,
        "description": "The seller whose balance the event changes."
      },
      {
        "name": "event_type",
        "type": "text",
        "required": true,
        "description": "What happened, in either vocabulary. In: order_paid / order (ORDER_PAID), payout_reversed (PAYOUT_REVERSED). Out: payout (PAYOUT), refund (REFUND), fee_commission / fee (FEE).\n",
        "allowed_values": {
          "order_paid": "ORDER_PAID",
          "order": "ORDER_PAID",
          "payout_reversed": "PAYOUT_REVERSED",
          "payout": "PAYOUT",
          "refund": "REFUND",
          "fee_commission": "FEE",
          "fee": "FEE"
        }
      },
      {
        "name": "currency",
        "type": "text",
        "required": true,
        "description": "ISO 4217 code of the amounts (RUB, USD); balances are kept per currency."
      },
      {
        "name": "amount",
        "type": "decimal",
        "required": true,
        "description": "Size of the event, positive, two decimals (sometimes written with one, 106.4)."
      },
      {
        "name": "signed_amount",
        "type": "decimal",
        "required": false,
        "description": "Optional. The amount with the direction's sign (negative out); checked against the event type."
      },
      {
        "name": "direction",
        "type": "text",
        "required": false,
        "description": "Optional. in or out; checked against the event type.",
        "allowed_values": {
          "in": "IN",
          "out": "OUT"
        }
      },
      {
        "name": "source_system",
        "type": "text",
        "required": false,
        "description": "The upstream system that emitted the event (orders, payments, fees)."
      }
    ]
  },
  "iiko__olap_sales": {
    "source": "iiko",
    "entity": "olap_sales",
    "raw_table": "iiko__olap_sales",
    "description": "iikoServer OLAP v2 SALES report, one row per order (department, business day, order id, receipt number, close time, close hour, storno flag) with the dish sum before and after discount, the quantity and the guests. Times are the restaurant's local time without an offset.\n",
    "key": [
      "source_server",
      "business_day",
      "order_id",
      "storned",
      "close_time",
      "receipt_number",
      "department"
    ],
    "columns": [
      {
        "name": "source_server",
        "type": "text",
        "required": true,
        "description": "The server's name in IIKO_SERVERS (stamped by the extractor)."
      },
      {
        "name": "server_timezone",
        "type": "text",
        "required": true,
        "description": "The server's IANA time zone (IIKO_<NAME>_TIMEZONE, stamped by the extractor); local times are read in it."
      },
      {
        "name": "currency",
        "type": "text",
        "required": false,
        "description": "ISO 4217 currency of the server's amounts (IIKO_<NAME>_CURRENCY, stamped by the extractor, which refuses a server without it; a row without one is an iiko_currency_missing finding)."
      },
      {
        "name": "business_day",
        "type": "date",
        "required": true,
        "description": "The order's business (\"accounting\") day, even when it closed after midnight or days later."
      },
      {
        "name": "department",
        "type": "text",
        "required": false,
        "description": "Department (restaurant, hall, delivery) as named on the server; iiko may give none."
      },
      {
        "name": "order_id",
        "type": "uuid",
        "required": true,
        "description": "The order's UUID (unique; the receipt number is not)."
      },
      {
        "name": "receipt_number",
        "type": "text",
        "required": false,
        "description": "Receipt number as printed; repeats across days and departments."
      },
      {
        "name": "close_time",
        "type": "timestamp",
        "required": false,
        "description": "When the order was closed, local time of the server (no offset in the source, 0–3 fractional digits).",
        "timezone_column": "server_timezone"
      },
      {
        "name": "close_hour",
        "type": "integer",
        "required": false,
        "description": "Local hour of closing (0–23), as the server computes it."
      },
      {
        "name": "storned",
        "type": "boolean",
        "required": false,
        "description": "TRUE for a storno (return) receipt."
      },
      {
        "name": "gross_amount",
        "type": "decimal",
        "required": false,
        "description": "Dish amount before discount (DishSumInt); may be fractional; negative on storno receipts."
      },
      {
        "name": "revenue",
        "type": "decimal",
        "required": false,
        "description": "Dish amount after discount (DishDiscountSumInt), the revenue; negative on storno receipts."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Dish quantity (DishAmountInt); fractional for weighed dishes."
      },
      {
        "name": "guests",
        "type": "integer",
        "required": false,
        "description": "Guests of the order (GuestNum)."
      }
    ]
  },
  "karamad__sales_line": {
    "source": "karamad",
    "entity": "sales_line",
    "raw_table": "karamad__sales_line",
    "description": "Karamad accounting's sales export (فروش و برگشت از فروش). Amounts are in rials, with or without thousands separators; dates are Jalali; returns are written with either sign.\n",
    "key": [
      "document_type",
      "invoice_number",
      "line_number"
    ],
    "line_identity": {
      "column": "line_number",
      "position_within": [
        "document_type",
        "invoice_number"
      ]
    },
    "rules": {
      "event_type": {
        "column": "document_type",
        "return_codes": [
          "RETURN"
        ],
        "negative_columns": [
          "quantity",
          "net_amount"
        ],
        "same_sign_columns": [
          "quantity",
          "net_amount"
        ]
      },
      "event_date": {
        "SALE": [
          "reference_date",
          "invoice_date"
        ],
        "RETURN": [
          "invoice_date"
        ]
      }
    },
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice (or return document) number as printed."
      },
      {
        "name": "line_number",
        "type": "integer",
        "required": false,
        "description": "Line number inside the invoice; when the export has none, the line's position among its invoice's lines in the file."
      },
      {
        "name": "invoice_date",
        "type": "jalali_date",
        "required": true,
        "description": "System (registration) date, Jalali, e.g. 1403/12/30 or ۱۴۰۴/۱/۱۸."
      },
      {
        "name": "reference_date",
        "type": "jalali_date",
        "required": false,
        "description": "Reference date, when the sale really happened (the visit / pre-invoice date); only in the sales-detail export."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Sale or return.",
        "allowed_values": {
          "فروش": "SALE",
          "فاکتور فروش": "SALE",
          "فروش نقدی": "SALE",
          "فروش اعتباری": "SALE",
          "فروش مویرگی": "SALE",
          "فروش عمده": "SALE",
          "برگشت از فروش": "RETURN"
        },
        "contains_values": {
          "برگشت": "RETURN"
        }
      },
      {
        "name": "customer_code",
        "type": "text",
        "required": false,
        "description": "Customer code in Karamad."
      },
      {
        "name": "customer_name",
        "type": "persian_text",
        "required": false,
        "description": "Customer name."
      },
      {
        "name": "product_code",
        "type": "text",
        "required": true,
        "description": "Product code in Karamad."
      },
      {
        "name": "product_name",
        "type": "persian_text",
        "required": false,
        "description": "Product name."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": true,
        "description": "Quantity (free items included); either sign for returns; may carry a decimal part (۲٫۵)."
      },
      {
        "name": "unit",
        "type": "persian_text",
        "required": false,
        "description": "Unit of measure."
      },
      {
        "name": "unit_price",
        "type": "decimal",
        "required": false,
        "description": "Unit price before discount, in rials."
      },
      {
        "name": "gross_amount",
        "type": "decimal",
        "required": false,
        "description": "Amount before discount (quantity × unit price), in rials."
      },
      {
        "name": "volume_discount",
        "type": "decimal",
        "required": false,
        "description": "Volume discount in rials (sales-detail export); part of discount_amount."
      },
      {
        "name": "cash_discount",
        "type": "decimal",
        "required": false,
        "description": "Cash discount in rials (sales-detail export); part of discount_amount."
      },
      {
        "name": "discount_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's discount in rials; in the sales-detail export, volume + cash discount. Empty means 0.",
        "sum_of": [
          "volume_discount",
          "cash_discount"
        ]
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "VAT and duties in rials."
      },
      {
        "name": "net_amount",
        "type": "decimal",
        "required": true,
        "description": "Payable, the line's net after discounts and tax (gross − discount + tax), in rials."
      },
      {
        "name": "branch",
        "type": "persian_text",
        "required": false,
        "description": "Selling branch."
      },
      {
        "name": "salesperson_code",
        "type": "text",
        "required": false,
        "description": "Salesperson code (sales-detail export)."
      },
      {
        "name": "salesperson",
        "type": "persian_text",
        "required": false,
        "description": "Salesperson (visitor) name."
      },
      {
        "name": "region",
        "type": "persian_text",
        "required": false,
        "description": "Sales region."
      }
    ]
  },
  "reckon__cluster_summary": {
    "source": "reckon",
    "entity": "cluster_summary",
    "raw_table": "reckon__cluster_summary",
    "description": "Cluster sizes and example customers, derived from the customer clusters file (the latest load of this entity is the one the models read).\n",
    "key": [
      "cluster"
    ],
    "columns": [
      {
        "name": "cluster",
        "type": "integer",
        "required": true,
        "description": "Cluster number."
      },
      {
        "name": "customer_count",
        "type": "integer",
        "required": true,
        "description": "Customers in the cluster."
      },
      {
        "name": "example_customers",
        "type": "text",
        "required": false,
        "description": "A few of its customers' names, comma-separated."
      }
    ]
  },
  "reckon__customer_clusters": {
    "source": "reckon",
    "entity": "customer_clusters",
    "raw_table": "reckon__customer_clusters",
    "description": "One row per Xero contact with its delivery address, coordinates and cluster number (the latest load of this entity is the one the models read).\n",
    "key": [
      "contact_name"
    ],
    "columns": [
      {
        "name": "contact_name",
        "type": "text",
        "required": true,
        "description": "Contact name as in Xero (\"Farmlands Wellsford\")."
      },
      {
        "name": "account_number",
        "type": "text",
        "required": false,
        "description": "Xero account number (FL03); empty for some contacts."
      },
      {
        "name": "attention_to",
        "type": "text",
        "required": false,
        "description": "Delivery address, attention line."
      },
      {
        "name": "address_line1",
        "type": "text",
        "required": false,
        "description": "Delivery address line 1."
      },
      {
        "name": "address_line2",
        "type": "text",
        "required": false,
        "description": "Delivery address line 2."
      },
      {
        "name": "address_line3",
        "type": "text",
        "required": false,
        "description": "Delivery address line 3."
      },
      {
        "name": "address_line4",
        "type": "text",
        "required": false,
        "description": "Delivery address line 4."
      },
      {
        "name": "city",
        "type": "text",
        "required": false,
        "description": "Delivery city."
      },
      {
        "name": "region",
        "type": "text",
        "required": false,
        "description": "Delivery region."
      },
      {
        "name": "postal_code",
        "type": "text",
        "required": false,
        "description": "Delivery postcode, as text (leading zeros matter)."
      },
      {
        "name": "latitude",
        "type": "decimal",
        "required": false,
        "description": "Latitude of the delivery address."
      },
      {
        "name": "longitude",
        "type": "decimal",
        "required": false,
        "description": "Longitude of the delivery address."
      },
      {
        "name": "cluster",
        "type": "integer",
        "required": true,
        "description": "Cluster number, compared as a number (cluster 10 comes after 9)."
      }
    ]
  },
  "reckon__customers": {
    "source": "reckon",
    "entity": "customers",
    "raw_table": "reckon__customers",
    "description": "Reckon customers as cleaned into CSV when the history was exported (loaded once, reloaded when corrected: the latest load of this entity is the one the models read).\n",
    "key": [
      "customer_id"
    ],
    "columns": [
      {
        "name": "customer_id",
        "type": "integer",
        "required": true,
        "description": "Reckon customer id (a number; compared as a number, never as text)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": true,
        "description": "Full Reckon name with its hierarchy, \"Market - n:Parent:Branch\"."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "Contact person."
      },
      {
        "name": "phone",
        "type": "text",
        "required": false,
        "description": "Phone number."
      },
      {
        "name": "fax",
        "type": "text",
        "required": false,
        "description": "Fax number."
      },
      {
        "name": "bill_to",
        "type": "text",
        "required": false,
        "description": "Billing address as one text."
      },
      {
        "name": "balance_total",
        "type": "decimal",
        "required": false,
        "description": "Open balance in NZD at export time (float noise kept exactly)."
      },
      {
        "name": "market",
        "type": "text",
        "required": false,
        "description": "Market (\"Local - 1\"); the name's first segment says the same when the column is empty."
      },
      {
        "name": "merchant_group",
        "type": "text",
        "required": false,
        "description": "Buying or merchant group the customer belongs to."
      },
      {
        "name": "xero_account_number",
        "type": "text",
        "required": false,
        "description": "Account number in Xero (FL03); set on the Xero-side copies of a branch."
      }
    ]
  },
  "reckon__invoices": {
    "source": "reckon",
    "entity": "invoices",
    "raw_table": "reckon__invoices",
    "description": "Reckon invoice headers (Tax Invoices and Adjustment Notes) with their line count and net total ex GST in NZD; totals agree with their lines within half a cent.\n",
    "key": [
      "invoice_number"
    ],
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice or adjustment note number; a clash was suffixed (610428_1)."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Tax Invoice (a sale) or Adjustment Note (a credit, negative amounts).",
        "allowed_values": {
          "tax invoice": "SALE",
          "adjustment note": "RETURN"
        }
      },
      {
        "name": "invoice_date",
        "type": "date",
        "required": true,
        "description": "Document date, yyyy-mm-dd."
      },
      {
        "name": "lines",
        "type": "integer",
        "required": false,
        "description": "Number of lines on the document."
      },
      {
        "name": "net_amount",
        "type": "decimal",
        "required": true,
        "description": "Net total ex GST in NZD, signed (Adjustment Notes negative), float noise kept exactly."
      },
      {
        "name": "customer_id",
        "type": "integer",
        "required": false,
        "description": "Reckon customer id (a number)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": false,
        "description": "Customer's full Reckon name."
      }
    ]
  },
  "reckon__products": {
    "source": "reckon",
    "entity": "products",
    "raw_table": "reckon__products",
    "description": "Reckon items as cleaned into CSV when the history was exported (the latest load of this entity is the one the models read).\n",
    "key": [
      "product_id"
    ],
    "columns": [
      {
        "name": "product_id",
        "type": "integer",
        "required": true,
        "description": "Reckon item id, as the sales lines refer to it (a number)."
      },
      {
        "name": "product_code",
        "type": "text",
        "required": false,
        "description": "Item code (the code Xero items use)."
      },
      {
        "name": "item_name",
        "type": "text",
        "required": true,
        "description": "Full item name with its group path, \"Group:Subgroup:Item\"."
      },
      {
        "name": "item_description",
        "type": "text",
        "required": false,
        "description": "Sales description."
      },
      {
        "name": "product_group",
        "type": "text",
        "required": false,
        "description": "Product group (Kiwi Klip, Freight, …); the name's first segment when empty."
      },
      {
        "name": "price",
        "type": "decimal",
        "required": false,
        "description": "List price ex GST, NZD."
      },
      {
        "name": "gross_price",
        "type": "decimal",
        "required": false,
        "description": "List price incl. GST, NZD."
      }
    ]
  },
  "reckon__sales_lines": {
    "source": "reckon",
    "entity": "sales_lines",
    "raw_table": "reckon__sales_lines",
    "description": "Reckon invoice and adjustment note lines ex GST in NZD, signed as in the file (Adjustment Notes negative). The latest load of this entity is the whole history: a corrected file replaces the previous one in the models.\n",
    "key": [
      "invoice_number",
      "line_number"
    ],
    "line_identity": {
      "column": "line_number",
      "position_within": [
        "invoice_number"
      ]
    },
    "rules": {
      "event_type": {
        "column": "document_type",
        "return_codes": [
          "RETURN"
        ],
        "negative_columns": [],
        "same_sign_columns": [
          "qty",
          "line_amount"
        ]
      },
      "event_date": {
        "SALE": [
          "invoice_date"
        ],
        "RETURN": [
          "invoice_date"
        ]
      }
    },
    "columns": [
      {
        "name": "invoice_number",
        "type": "text",
        "required": true,
        "description": "Invoice or adjustment note number (610428_1 is a different document from 610428)."
      },
      {
        "name": "line_number",
        "type": "integer",
        "required": false,
        "description": "Line number inside the invoice; the Reckon extract has none, so staging numbers each line by its position among its invoice's lines in the file.\n"
      },
      {
        "name": "invoice_date",
        "type": "date",
        "required": true,
        "description": "Document date, yyyy-mm-dd."
      },
      {
        "name": "document_type",
        "type": "text",
        "required": true,
        "description": "Tax Invoice (a sale) or Adjustment Note (a credit, negative amounts).",
        "allowed_values": {
          "tax invoice": "SALE",
          "adjustment note": "RETURN"
        }
      },
      {
        "name": "customer_id",
        "type": "integer",
        "required": true,
        "description": "Reckon customer id (a number)."
      },
      {
        "name": "customer_name",
        "type": "text",
        "required": false,
        "description": "Customer's full Reckon name, \"Market - n:Parent:Branch\"."
      },
      {
        "name": "product_id",
        "type": "integer",
        "required": true,
        "description": "Reckon item id (a number)."
      },
      {
        "name": "item_name",
        "type": "text",
        "required": false,
        "description": "Item's full name with its group path, \"Group:Subgroup:Item\"."
      },
      {
        "name": "qty",
        "type": "decimal",
        "required": true,
        "description": "Quantity, signed as in the file."
      },
      {
        "name": "unit_price",
        "type": "decimal",
        "required": false,
        "description": "Unit price ex GST, NZD."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": true,
        "description": "Line amount ex GST in NZD, signed (negative on Adjustment Notes), float noise kept exactly."
      }
    ]
  },
  "xero__contact": {
    "source": "xero",
    "entity": "contact",
    "raw_table": "xero__contact",
    "description": "Xero contacts, customers and suppliers, archived ones included; one row per version (UpdatedDateUTC).\n",
    "key": [
      "contact_id",
      "updated_date_utc"
    ],
    "columns": [
      {
        "name": "contact_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the contact."
      },
      {
        "name": "contact_number",
        "type": "text",
        "required": false,
        "description": "Number given by an integration or a user."
      },
      {
        "name": "account_number",
        "type": "text",
        "required": false,
        "description": "Account number (FL03), shared with the Reckon history's Xero-side customers."
      },
      {
        "name": "contact_status",
        "type": "text",
        "required": true,
        "description": "ACTIVE or ARCHIVED."
      },
      {
        "name": "name",
        "type": "text",
        "required": true,
        "description": "Contact (organisation) name."
      },
      {
        "name": "first_name",
        "type": "text",
        "required": false,
        "description": "First name of the contact person."
      },
      {
        "name": "last_name",
        "type": "text",
        "required": false,
        "description": "Last name of the contact person."
      },
      {
        "name": "email_address",
        "type": "text",
        "required": false,
        "description": "Email address."
      },
      {
        "name": "is_customer",
        "type": "boolean",
        "required": false,
        "description": "True when the contact has sales invoices."
      },
      {
        "name": "is_supplier",
        "type": "boolean",
        "required": false,
        "description": "True when the contact has bills."
      },
      {
        "name": "default_currency",
        "type": "text",
        "required": false,
        "description": "The contact's default currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      }
    ]
  },
  "xero__credit_note_line": {
    "source": "xero",
    "entity": "credit_note_line",
    "raw_table": "xero__credit_note_line",
    "description": "Xero sales credit notes (ACCRECCREDIT: returns), one row per line per document version. The latest version of a document is the truth: its lines replace the earlier ones; VOIDED and DELETED versions take the document out of revenue.\n",
    "key": [
      "credit_note_id",
      "updated_date_utc",
      "line_position"
    ],
    "columns": [
      {
        "name": "credit_note_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the credit note (the same for every version)."
      },
      {
        "name": "credit_note_number",
        "type": "text",
        "required": false,
        "description": "Credit note number (CN-0001)."
      },
      {
        "name": "type",
        "type": "text",
        "required": true,
        "description": "ACCRECCREDIT for a sales credit note (ACCPAYCREDIT supplier credits are not requested)."
      },
      {
        "name": "status",
        "type": "text",
        "required": true,
        "description": "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED; only AUTHORISED and PAID are revenue."
      },
      {
        "name": "reference",
        "type": "text",
        "required": false,
        "description": "The customer's reference (a purchase order number)."
      },
      {
        "name": "contact_id",
        "type": "uuid",
        "required": false,
        "description": "The customer the credit is for (Xero ContactID)."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "The customer's name on the credit note."
      },
      {
        "name": "credit_note_date",
        "type": "dotnet_date",
        "required": true,
        "description": "Credit note date, midnight UTC of the day (/Date(ms+0000)/)."
      },
      {
        "name": "line_amount_types",
        "type": "text",
        "required": true,
        "description": "Exclusive, Inclusive (line amounts include their tax) or NoTax."
      },
      {
        "name": "sub_total",
        "type": "decimal",
        "required": false,
        "description": "Total excluding tax, as Xero states it."
      },
      {
        "name": "total_tax",
        "type": "decimal",
        "required": false,
        "description": "Total tax."
      },
      {
        "name": "total",
        "type": "decimal",
        "required": false,
        "description": "Total including tax."
      },
      {
        "name": "currency_code",
        "type": "text",
        "required": true,
        "description": "ISO 4217 currency of the amounts."
      },
      {
        "name": "remaining_credit",
        "type": "decimal",
        "required": false,
        "description": "Credit not yet allocated or refunded."
      },
      {
        "name": "currency_rate",
        "type": "decimal",
        "required": false,
        "description": "Units of the document currency per unit of the organisation's base currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      },
      {
        "name": "line_position",
        "type": "integer",
        "required": true,
        "description": "The line's position in the document, from 1 (0 for a version without lines)."
      },
      {
        "name": "line_item_id",
        "type": "uuid",
        "required": false,
        "description": "Xero's id of the line (stable across versions); with the credit note id, the line's key."
      },
      {
        "name": "item_code",
        "type": "text",
        "required": false,
        "description": "Item code; empty on description-only lines."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Line description."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Quantity (4 decimals)."
      },
      {
        "name": "unit_amount",
        "type": "decimal",
        "required": false,
        "description": "Unit price (4 decimals), including tax when line_amount_types is Inclusive."
      },
      {
        "name": "discount_rate",
        "type": "decimal",
        "required": false,
        "description": "Discount in percent."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": false,
        "description": "Line amount after discount; includes tax_amount when line_amount_types is Inclusive."
      },
      {
        "name": "tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code (OUTPUT2 = 15% GST, NONE)."
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's tax."
      },
      {
        "name": "account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account the line posts to."
      },
      {
        "name": "tracking",
        "type": "text",
        "required": false,
        "description": "Tracking categories of the line, as JSON."
      }
    ]
  },
  "xero__invoice_line": {
    "source": "xero",
    "entity": "invoice_line",
    "raw_table": "xero__invoice_line",
    "description": "Xero sales invoices (ACCREC), one row per line per document version (UpdatedDateUTC). The latest version of a document is the truth: its lines replace the earlier ones; VOIDED and DELETED versions take the document out of revenue.\n",
    "key": [
      "invoice_id",
      "updated_date_utc",
      "line_position"
    ],
    "columns": [
      {
        "name": "invoice_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the invoice (the same for every version)."
      },
      {
        "name": "invoice_number",
        "type": "text",
        "required": false,
        "description": "Invoice number as shown to the customer (INV-0001)."
      },
      {
        "name": "type",
        "type": "text",
        "required": true,
        "description": "ACCREC for a sales invoice (ACCPAY bills are not requested)."
      },
      {
        "name": "status",
        "type": "text",
        "required": true,
        "description": "DRAFT, SUBMITTED, AUTHORISED, PAID, VOIDED or DELETED; only AUTHORISED and PAID are revenue."
      },
      {
        "name": "reference",
        "type": "text",
        "required": false,
        "description": "The customer's reference (a purchase order number)."
      },
      {
        "name": "contact_id",
        "type": "uuid",
        "required": false,
        "description": "The customer (Xero ContactID)."
      },
      {
        "name": "contact_name",
        "type": "text",
        "required": false,
        "description": "The customer's name on the invoice."
      },
      {
        "name": "invoice_date",
        "type": "dotnet_date",
        "required": true,
        "description": "Invoice date, midnight UTC of the day (/Date(ms+0000)/)."
      },
      {
        "name": "due_date",
        "type": "dotnet_date",
        "required": false,
        "description": "Due date."
      },
      {
        "name": "line_amount_types",
        "type": "text",
        "required": true,
        "description": "Exclusive, Inclusive (line amounts include their tax) or NoTax."
      },
      {
        "name": "sub_total",
        "type": "decimal",
        "required": false,
        "description": "Total excluding tax, as Xero states it."
      },
      {
        "name": "total_tax",
        "type": "decimal",
        "required": false,
        "description": "Total tax."
      },
      {
        "name": "total",
        "type": "decimal",
        "required": false,
        "description": "Total including tax."
      },
      {
        "name": "currency_code",
        "type": "text",
        "required": true,
        "description": "ISO 4217 currency of the amounts."
      },
      {
        "name": "currency_rate",
        "type": "decimal",
        "required": false,
        "description": "Units of the document currency per unit of the organisation's base currency."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": true,
        "description": "When this version was made; the latest one wins."
      },
      {
        "name": "line_position",
        "type": "integer",
        "required": true,
        "description": "The line's position in the document, from 1 (0 for a version without lines)."
      },
      {
        "name": "line_item_id",
        "type": "uuid",
        "required": false,
        "description": "Xero's id of the line (stable across versions); with the invoice id, the line's key."
      },
      {
        "name": "item_code",
        "type": "text",
        "required": false,
        "description": "Item code; empty on description-only lines."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Line description."
      },
      {
        "name": "quantity",
        "type": "decimal",
        "required": false,
        "description": "Quantity (4 decimals)."
      },
      {
        "name": "unit_amount",
        "type": "decimal",
        "required": false,
        "description": "Unit price (4 decimals), including tax when line_amount_types is Inclusive."
      },
      {
        "name": "discount_rate",
        "type": "decimal",
        "required": false,
        "description": "Discount in percent."
      },
      {
        "name": "line_amount",
        "type": "decimal",
        "required": false,
        "description": "Line amount after discount; includes tax_amount when line_amount_types is Inclusive."
      },
      {
        "name": "tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code (OUTPUT2 = 15% GST, NONE)."
      },
      {
        "name": "tax_amount",
        "type": "decimal",
        "required": false,
        "description": "The line's tax."
      },
      {
        "name": "account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account the line posts to."
      },
      {
        "name": "tracking",
        "type": "text",
        "required": false,
        "description": "Tracking categories of the line, as JSON."
      }
    ]
  },
  "xero__item": {
    "source": "xero",
    "entity": "item",
    "raw_table": "xero__item",
    "description": "Xero items (products and services), the full list as of each load that changed it.\n",
    "key": [
      "item_id",
      "updated_date_utc"
    ],
    "columns": [
      {
        "name": "item_id",
        "type": "uuid",
        "required": true,
        "description": "Xero's id of the item."
      },
      {
        "name": "code",
        "type": "text",
        "required": true,
        "description": "Item code, as on invoice lines (ItemCode)."
      },
      {
        "name": "name",
        "type": "text",
        "required": false,
        "description": "Item name."
      },
      {
        "name": "description",
        "type": "text",
        "required": false,
        "description": "Sales description."
      },
      {
        "name": "is_sold",
        "type": "boolean",
        "required": false,
        "description": "True when the item can be sold."
      },
      {
        "name": "is_purchased",
        "type": "boolean",
        "required": false,
        "description": "True when the item can be bought."
      },
      {
        "name": "is_tracked_as_inventory",
        "type": "boolean",
        "required": false,
        "description": "True for tracked inventory."
      },
      {
        "name": "sales_unit_price",
        "type": "decimal",
        "required": false,
        "description": "Sales unit price."
      },
      {
        "name": "sales_account_code",
        "type": "text",
        "required": false,
        "description": "Revenue account of sales."
      },
      {
        "name": "sales_tax_type",
        "type": "text",
        "required": false,
        "description": "Tax rate code of sales."
      },
      {
        "name": "updated_date_utc",
        "type": "dotnet_date",
        "required": false,
        "description": "When the item last changed."
      }
    ]
  }
};
