CREATE TABLE "claims" (
	"tbl" text NOT NULL,
	"row_id" bigint NOT NULL,
	"device_id" integer NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_tbl_row_id_pk" PRIMARY KEY("tbl","row_id")
);
